package dev.gil.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One report: rows of figure, unit, gil4j samples, CPython median, baseline, ratio, target and met, written as a
 * Markdown table, as JSON lines (every sample), and as an SVG bar chart of the ratios.
 */
final class Report {
    /** One figure. {@code met} is null for a figure that is only reported. */
    record Row(String figure, String unit, Samples ours, double cpython, String baseline, double ratio, String target,
            Boolean met) {}

    private final List<Row> rows = new ArrayList<>();

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        } else if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    void row(String figure, String unit, Samples ours, double cpython, String baseline, double ratio, String target,
            Boolean met) {
        // A target against CPython, with no CPython here, is neither met nor missed.
        rows.add(new Row(figure, unit, ours, cpython, baseline, ratio, target, needsAbsentCpython(target, cpython)
                ? null : met));
    }

    List<Row> rows() {
        return rows;
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| figure | unit | gil4j median [min–max] | CPython median | baseline (same run) | ratio | target | met |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append(String.join(" | ", "", cell(row.figure()), cell(row.unit()), row.ours().toString(),
                    format(row.cpython()), cell(row.baseline()), format(row.ratio()), cell(row.target()),
                    met(row), "").trim()).append('\n');
        }
        return out.toString();
    }

    /**
     * The rows named, in the order given, as a short table (the README's headline): median with its unit, CPython's
     * median, the other baseline and the ratio. A name with no row is an error, so a renamed figure cannot silently
     * drop out of the headline.
     */
    String headline(List<String> figures) {
        StringBuilder out = new StringBuilder();
        out.append("| figure | gil4j | CPython, same run | other baseline, same run | ratio |\n");
        out.append("|---|---|---|---|---|\n");
        for (String figure : figures) {
            Row row = rows.stream().filter(candidate -> candidate.figure().equals(figure)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no row named '" + figure + "' in this report"));
            String unit = row.unit().startsWith("×") ? "×" : " " + row.unit();
            out.append(String.join(" | ", "", cell(row.figure()), format(row.ours().medianOrNaN()) + unit,
                    Double.isNaN(row.cpython()) ? "n/a" : format(row.cpython()) + unit, cell(row.baseline()),
                    format(row.ratio()), "").trim()).append('\n');
        }
        return out.toString();
    }

    private static boolean needsAbsentCpython(String target, double cpython) {
        return target.contains("CPython") && Double.isNaN(cpython);
    }

    /** Whether the target was met: "n/a" for a target against a CPython that is not here, never "no". */
    private static String met(Row row) {
        if (row.met() == null) {
            return needsAbsentCpython(row.target(), row.cpython()) ? "n/a" : "";
        }
        return row.met() ? "yes" : "**no**";
    }

    /** A table cell: a pipe inside it would end the cell, so it is escaped as Markdown tables want. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** One JSON object per line and row, with every sample. */
    String jsonLines() {
        StringBuilder out = new StringBuilder();
        for (Row row : rows) {
            out.append("{\"figure\":").append(string(row.figure())).append(",\"unit\":").append(string(row.unit()))
                    .append(",\"samples\":").append(row.ours().json()).append(",\"median\":")
                    .append(number(row.ours().medianOrNaN())).append(",\"cpython\":").append(number(row.cpython()))
                    .append(",\"baseline\":").append(string(row.baseline())).append(",\"ratio\":")
                    .append(number(row.ratio())).append(",\"target\":").append(string(row.target()))
                    .append(",\"met\":").append(row.met() == null ? "null" : row.met().toString()).append("}\n");
        }
        return out.toString();
    }

    /** Horizontal bars of each ratio on a log scale, 1× marked; green met, red missed, grey reported only. */
    String svgChart(String title) {
        List<Row> withRatio = new ArrayList<>();
        for (Row row : rows) {
            if (!Double.isNaN(row.ratio()) && row.ratio() > 0) {
                withRatio.add(row);
            }
        }
        int labels = 420;
        int plot = 560;
        int bar = 18;
        int height = 60 + withRatio.size() * (bar + 6) + 40;
        double min = -3;
        double max = 2; // 0.001x to 100x
        StringBuilder out = new StringBuilder();
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(labels + plot + 80)
                .append("\" height=\"").append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"10\" y=\"22\" font-size=\"15\"")
                .append(" font-weight=\"bold\">").append(xml(title)).append("</text>\n");
        double one = labels + plot * (0 - min) / (max - min);
        int y = 44;
        for (Row row : withRatio) {
            double position = Math.max(min, Math.min(max, Math.log10(row.ratio())));
            double x = labels + plot * (position - min) / (max - min);
            String colour = row.met() == null ? "#9e9e9e" : row.met() ? "#2e7d32" : "#e53935";
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", labels - 8,
                    y + 13, xml(row.figure())));
            out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                    + "<title>%s</title></rect>%n", Math.min(one, x), y, Math.max(1, Math.abs(x - one)), bar, colour,
                    xml(format(row.ratio()) + "x, target " + row.target())));
            out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%sx</text>%n", Math.max(one, x) + 4,
                    y + 13, xml(format(row.ratio()))));
            y += bar + 6;
        }
        out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"36\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
                + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">1x</text>%n", one, one, y, one, y + 16));
        return out.append("</svg>\n").toString();
    }

    private static String number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null" : String.format(Locale.ROOT, "%s", value);
    }

    private static String string(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String xml(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
