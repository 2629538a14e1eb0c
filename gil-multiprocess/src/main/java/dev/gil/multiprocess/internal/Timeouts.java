package dev.gil.multiprocess.internal;

import java.time.Duration;

/**
 * A caller's timeout as the JDK's waits take it: a negative one waits not at all, and one too long to count in
 * nanoseconds or milliseconds ({@code Duration.ofSeconds(Long.MAX_VALUE)}) waits as long as can be counted, instead of
 * {@link Duration#toNanos()}'s {@link ArithmeticException}.
 */
public final class Timeouts {
    private Timeouts() {}

    /**
     * The timeout in nanoseconds, from zero to {@link Long#MAX_VALUE}.
     *
     * @param timeout the caller's timeout
     * @return its nanoseconds, saturated
     */
    public static long nanos(Duration timeout) {
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The timeout in milliseconds, from zero to about 292 years (what {@link #nanos} can count).
     *
     * @param timeout the caller's timeout
     * @return its milliseconds, saturated
     */
    public static long millis(Duration timeout) {
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(nanos(timeout)); // 292 years at most: for ever
    }
}
