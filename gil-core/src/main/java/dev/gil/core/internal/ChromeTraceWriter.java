package dev.gil.core.internal;

import java.util.Locale;

/**
 * Chrome Trace Event JSON (opens in Perfetto and chrome://tracing): thread-name metadata, complete ({@code X}) events
 * for spans, instant events for drop requests, a counter for the queue length, and flow arrows from the thread that
 * handed the lock over to the one that got it. Timestamps are microseconds since the trace started.
 */
public final class ChromeTraceWriter {
    private ChromeTraceWriter() {}

    public static String write(Timeline timeline, String lockName, long droppedEvents) {
        StringBuilder out = new StringBuilder(64 + timeline.spans().size() * 96);
        out.append("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"lock\":").append(string(lockName))
                .append(",\"droppedEvents\":").append(droppedEvents).append("},\"traceEvents\":[");
        String separator = "\n";
        out.append(separator).append("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"args\":{\"name\":")
                .append(string("GIL " + lockName)).append("}}");
        separator = ",\n";
        for (int lane = 0; lane < timeline.lanes().size(); lane++) {
            out.append(separator).append("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":").append(lane + 1)
                    .append(",\"args\":{\"name\":").append(string(timeline.lanes().get(lane))).append("}}");
        }
        for (Timeline.Span span : timeline.spans()) {
            out.append(separator).append("{\"ph\":\"X\",\"pid\":1,\"tid\":").append(span.lane() + 1)
                    .append(",\"name\":").append(string(span.state().label)).append(",\"cat\":\"gil\",\"ts\":")
                    .append(micros(span.start())).append(",\"dur\":").append(micros(span.end() - span.start()))
                    .append('}');
        }
        for (Timeline.Instant instant : timeline.instants()) {
            out.append(separator).append("{\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":").append(instant.lane() + 1)
                    .append(",\"name\":").append(string(instant.name())).append(",\"cat\":\"gil\",\"ts\":")
                    .append(micros(instant.at())).append('}');
        }
        for (Timeline.Handoff handoff : timeline.handoffs()) {
            out.append(separator).append("{\"ph\":\"s\",\"pid\":1,\"tid\":").append(handoff.fromLane() + 1)
                    .append(",\"name\":\"handoff\",\"cat\":\"gil\",\"id\":").append(handoff.id()).append(",\"ts\":")
                    .append(micros(handoff.at())).append('}');
            out.append(separator).append("{\"ph\":\"f\",\"bp\":\"e\",\"pid\":1,\"tid\":").append(handoff.toLane() + 1)
                    .append(",\"name\":\"handoff\",\"cat\":\"gil\",\"id\":").append(handoff.id()).append(",\"ts\":")
                    .append(micros(handoff.arrivedAt())).append('}');
        }
        for (Timeline.QueueLength point : timeline.queue()) {
            out.append(separator).append("{\"ph\":\"C\",\"pid\":1,\"name\":\"queue\",\"ts\":").append(micros(point.at()))
                    .append(",\"args\":{\"waiting\":").append(point.waiting()).append("}}");
        }
        return out.append("\n]}\n").toString();
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1000.0);
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
