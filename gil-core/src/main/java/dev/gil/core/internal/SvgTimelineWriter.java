package dev.gil.core.internal;

import java.util.Locale;

/**
 * A self-contained SVG timeline, like David Beazley's GIL pictures: one lane per thread, a colour per state, a time
 * axis and a legend. No script, no external resource: any browser shows it.
 */
public final class SvgTimelineWriter {
    private static final int WIDTH = 1200;
    private static final int LABELS = 180;
    private static final int LANE = 26;
    private static final int TOP = 40;

    private SvgTimelineWriter() {}

    public static String write(Timeline timeline, String lockName, long droppedEvents) {
        int lanes = timeline.lanes().size();
        int plot = WIDTH - LABELS - 20;
        int height = TOP + Math.max(1, lanes) * LANE + 70;
        double scale = timeline.duration() <= 0 ? 0 : plot / (double) timeline.duration();
        StringBuilder out = new StringBuilder();
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        out.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">")
                .append(escape("GIL '" + lockName + "': " + lanes + " threads over " + millis(timeline.duration())
                        + " ms" + (droppedEvents > 0 ? " (" + droppedEvents + " oldest events dropped)" : "")))
                .append("</text>\n");
        for (int lane = 0; lane < lanes; lane++) {
            int y = TOP + lane * LANE;
            out.append("<text x=\"10\" y=\"").append(y + 17).append("\">")
                    .append(escape(shorten(timeline.lanes().get(lane)))).append("</text>\n");
            out.append("<rect x=\"").append(LABELS).append("\" y=\"").append(y + 2).append("\" width=\"").append(plot)
                    .append("\" height=\"").append(LANE - 4).append("\" fill=\"#f5f5f5\"/>\n");
        }
        for (Timeline.Span span : timeline.spans()) {
            double x = LABELS + span.start() * scale;
            double w = Math.max(0.5, (span.end() - span.start()) * scale);
            out.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\">"
                            + "<title>%s</title></rect>%n", x, TOP + span.lane() * LANE + 2, w, LANE - 4,
                    span.state().colour, escape(span.state().label + ", " + millis(span.end() - span.start())
                            + " ms from " + millis(span.start()) + " ms")));
        }
        for (Timeline.Instant instant : timeline.instants()) {
            double x = LABELS + instant.at() * scale;
            int y = TOP + instant.lane() * LANE;
            out.append(String.format(Locale.ROOT, "<path d=\"M%.2f %d l4 -6 h-8 z\" fill=\"#ff8f00\"><title>%s"
                    + "</title></path>%n", x, y + 8, escape(instant.name() + " at " + millis(instant.at()) + " ms")));
        }
        int axisY = TOP + Math.max(1, lanes) * LANE + 12;
        out.append("<line x1=\"").append(LABELS).append("\" y1=\"").append(axisY).append("\" x2=\"")
                .append(LABELS + plot).append("\" y2=\"").append(axisY).append("\" stroke=\"black\"/>\n");
        for (int tick = 0; tick <= 10; tick++) {
            double x = LABELS + plot * tick / 10.0;
            out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s ms</text>%n", x, axisY, x, axisY + 5, x,
                    axisY + 18, millis(timeline.duration() * tick / 10)));
        }
        int legendY = axisY + 40;
        int legendX = LABELS;
        for (Timeline.State state : Timeline.State.values()) {
            out.append("<rect x=\"").append(legendX).append("\" y=\"").append(legendY - 10)
                    .append("\" width=\"12\" height=\"12\" fill=\"").append(state.colour).append("\"/><text x=\"")
                    .append(legendX + 16).append("\" y=\"").append(legendY).append("\">").append(escape(state.label))
                    .append("</text>\n");
            legendX += 200;
        }
        out.append("<path d=\"M").append(legendX + 6).append(' ').append(legendY - 2)
                .append(" l4 -6 h-8 z\" fill=\"#ff8f00\"/><text x=\"").append(legendX + 16).append("\" y=\"")
                .append(legendY).append("\">drop request</text>\n");
        return out.append("</svg>\n").toString();
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, nanos >= 10_000_000 ? "%.0f" : "%.2f", nanos / 1e6);
    }

    private static String shorten(String name) {
        return name.length() <= 24 ? name : name.substring(0, 23) + "…";
    }

    /** Text for XML content and attributes. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t') {
                        out.append(' '); // XML 1.0 cannot carry most control characters at all
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
