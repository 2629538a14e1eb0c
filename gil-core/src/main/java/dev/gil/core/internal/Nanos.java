package dev.gil.core.internal;

import java.time.Duration;

/** Duration arithmetic that saturates instead of overflowing. */
public final class Nanos {
    private Nanos() {}

    /** Returns the duration in nanoseconds, {@link Long#MAX_VALUE} or {@link Long#MIN_VALUE} where it overflows. */
    public static long saturated(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException overflow) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Formats nanoseconds the way people write switch intervals: {@code 5ms}, {@code 500us}, {@code 1.5s}. */
    public static String format(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        } else if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        } else if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }
}
