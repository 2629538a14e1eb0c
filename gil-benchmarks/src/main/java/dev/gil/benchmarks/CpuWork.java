package dev.gil.benchmarks;

import dev.gil.core.GlobalInterpreterLock;
import org.openjdk.jmh.infra.Blackhole;

/**
 * CPU-bound work in units of about one microsecond ({@link Blackhole#consumeCPU}, calibrated at start-up), with a
 * checkpoint between units where CPython's eval loop would check its breaker.
 */
final class CpuWork {
    /** consumeCPU tokens that take about one microsecond on this machine. */
    static final long TOKENS_PER_MICROSECOND = calibrate();

    private CpuWork() {}

    static void units(GlobalInterpreterLock gil, long units) {
        for (long i = 0; i < units; i++) {
            Blackhole.consumeCPU(TOKENS_PER_MICROSECOND);
            gil.checkpoint();
        }
    }

    private static long calibrate() {
        long tokens = 1_000;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                Blackhole.consumeCPU(tokens);
            }
            double nanosPerCall = (System.nanoTime() - start) / 1_000.0;
            tokens = Math.max(1, Math.round(tokens * 1_000 / nanosPerCall));
        }
        return tokens;
    }
}
