package dev.gil.examples;

import dev.gil.core.GlobalInterpreterLock;

/**
 * The CPU-bound {@code do_work} of the examples: Beazley's countdown, made of work units of about a microsecond, with
 * a {@link GlobalInterpreterLock#checkpoint()} between units, where CPython's eval loop would check its breaker.
 *
 * <pre>{@code
 * long checksum = Work.countdown(gil, 20_000);   // 20,000 units of work, a checkpoint after each
 * }</pre>
 */
public final class Work {
    /** xorshift steps in one unit: about a microsecond on a current x86 core. */
    static final int STEPS_PER_UNIT = 1_000;

    private Work() {}

    /**
     * Runs {@code units} units of work, calling {@code gil.checkpoint()} after each. The caller must hold the lock.
     *
     * @param gil the lock held by the caller
     * @param units how many units to run
     * @return a checksum, so the JIT cannot drop the work
     */
    public static long countdown(GlobalInterpreterLock gil, long units) {
        long x = 0x9E3779B97F4A7C15L;
        for (long n = units; n > 0; n--) {
            x = unit(x);
            gil.checkpoint();
        }
        return x;
    }

    /**
     * Runs {@code units} units of work with no lock at all: Java's own threads.
     *
     * @param units how many units to run
     * @return a checksum, so the JIT cannot drop the work
     */
    public static long countdownUnlocked(long units) {
        long x = 0x9E3779B97F4A7C15L;
        for (long n = units; n > 0; n--) {
            x = unit(x);
        }
        return x;
    }

    private static long unit(long x) {
        for (int i = 0; i < STEPS_PER_UNIT; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
