package dev.gil.core;

/**
 * A distribution in nanoseconds: how many values and their percentiles (HdrHistogram, 3 significant digits).
 *
 * <pre>{@code
 * Percentiles waits = gil.stats().dropRequestLatency();
 * System.out.println(waits.p99() / 1_000 + " us");
 * }</pre>
 *
 * @param count how many values were recorded
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max largest value
 */
public record Percentiles(long count, long p50, long p90, long p99, long p999, long max) {
    /** No values. */
    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0);

    @Override
    public String toString() {
        return count == 0 ? "n/a" : String.format("n=%,d p50=%s p90=%s p99=%s p99.9=%s max=%s", count, human(p50),
                human(p90), human(p99), human(p999), human(max));
    }

    static String human(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return String.format("%.2fs", nanos / 1e9);
        } else if (nanos >= 1_000_000L) {
            return String.format("%.2fms", nanos / 1e6);
        } else if (nanos >= 1_000L) {
            return String.format("%.1fus", nanos / 1e3);
        }
        return nanos + "ns";
    }
}
