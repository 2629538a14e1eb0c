package dev.gil.examples;

import dev.gil.multiprocess.JvmProcess;
import java.util.Arrays;
import java.util.Locale;

/**
 * Sizes the CPU-bound workload from measurements on the machine it runs on, so that the processes' speed-up is about
 * the work and not about starting a JVM: each of two processes gets at least {@link #STARTUP_MULTIPLE} times a child
 * JVM's measured start and join. A fixed size would be mostly start-up on a slow machine (or a cold class path) and
 * show "processes do not scale" for the wrong reason.
 *
 * @param childStartMillis median start+join of a child JVM running an empty task, as this machine measured it
 * @param unitNanos median time of one {@link Work} unit on one thread
 * @param units total work units: each process (and each of two threads) runs half
 */
record WorkSizing(double childStartMillis, double unitNanos, long units) {
    /** Each process's share of the work, in multiples of its own start-up. */
    static final int STARTUP_MULTIPLE = 10;

    /**
     * Measures this machine and sizes the work, never below {@code minimumUnits}.
     *
     * @param minimumUnits the least total work, whatever the machine
     * @return the sizing, with the figures it was computed from
     * @throws InterruptedException if interrupted while a child runs
     */
    static WorkSizing measure(long minimumUnits) throws InterruptedException {
        double start = medianChildStartMillis(3);
        double unit = medianUnitNanos(3);
        long perProcess = (long) Math.ceil(STARTUP_MULTIPLE * start * 1e6 / unit);
        return new WorkSizing(start, unit, Math.max(minimumUnits, 2 * perProcess));
    }

    /** How the work was sized, for the tour's output. */
    String describe() {
        return String.format(Locale.ROOT, "work sized from this machine: a child JVM starts and joins in %.0f ms, a "
                        + "unit of work takes %.2f us, so each of two workers runs %,d units (about %.0f ms, %.0fx a "
                        + "child's start-up)", childStartMillis, unitNanos / 1e3, units / 2,
                units / 2 * unitNanos / 1e6, units / 2 * unitNanos / 1e6 / childStartMillis);
    }

    private static double medianChildStartMillis(int repetitions) throws InterruptedException {
        double[] millis = new double[repetitions];
        startAndJoin(); // the first start also pays for what later starts reuse (the class-data archive, the page cache)
        for (int r = 0; r < repetitions; r++) {
            millis[r] = startAndJoin();
        }
        return median(millis);
    }

    private static double startAndJoin() throws InterruptedException {
        long t0 = System.nanoTime();
        try (JvmProcess child = JvmProcess.builder(WorkSizing::nothing).daemon(true).build()) {
            child.start();
            child.join();
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void nothing() {
        // an empty task: what a child costs before it does anything
    }

    private static double medianUnitNanos(int repetitions) {
        int units = 2_000;
        Work.countdownUnlocked(units); // let the JIT compile the unit first
        double[] nanos = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long t0 = System.nanoTime();
            Work.countdownUnlocked(units);
            nanos[r] = (System.nanoTime() - t0) / (double) units;
        }
        return median(nanos);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
