package dev.gil.examples;

import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import dev.gil.multiprocess.JvmProcess;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * "Only one CPU works" (한 CPU만 일함): the same CPU-bound work on one thread, split over two {@link GilThread}s, split
 * over two plain Java threads with no lock, and split over two {@link JvmProcess}es, each with its own lock. Prints
 * wall time, speedup and CPU utilisation (CPU time of this JVM and its children over wall time) of each: about one CPU
 * under the GIL, about two without it or with processes.
 *
 * <pre>{@code
 * List<CpuBoundExample.Row> rows = CpuBoundExample.measure(20_000, 5);
 * }</pre>
 */
public final class CpuBoundExample {
    private CpuBoundExample() {}

    /**
     * One measured way of running the work.
     *
     * @param name what ran
     * @param wallSeconds median wall time
     * @param speedup one thread's median wall time over this one's
     * @param cpusBusy median process CPU time over wall time
     */
    public record Row(String name, double wallSeconds, double speedup, double cpusBusy) {}

    /**
     * Measures the three ways, interleaved within each repetition, and returns their medians.
     *
     * @param units total work units (about a microsecond each)
     * @param repetitions how many times to measure each way
     * @return one thread, two GIL threads, two plain threads
     * @throws InterruptedException if interrupted while joining
     */
    public static List<Row> measure(long units, int repetitions) throws InterruptedException {
        double[][] wall = new double[4][repetitions];
        double[][] cpu = new double[4][repetitions];
        HandoffScheduler cpython = HandoffScheduler.switchInterval(HandoffScheduler.DEFAULT_SWITCH_INTERVAL);
        for (int r = 0; r < repetitions; r++) {
            time(wall[0], cpu[0], r, () -> secondsOnGilThreads(cpython, 1, units));
            time(wall[1], cpu[1], r, () -> secondsOnGilThreads(cpython, 2, units));
            time(wall[2], cpu[2], r, () -> runThreads(2, () -> Work.countdownUnlocked(units / 2)));
            time(wall[3], cpu[3], r, () -> runProcesses(2, units / 2));
        }
        String[] names = {"1 thread", "2 GilThreads (one GIL)", "2 Java threads (no lock)",
            "2 JvmProcesses (a GIL each)"};
        double single = median(wall[0]);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            rows.add(new Row(names[i], median(wall[i]), single / median(wall[i]), median(cpu[i])));
        }
        return rows;
    }

    /**
     * Runs the measurement and prints the table.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        print(measure(200_000, 5));
    }

    static void print(List<Row> rows) {
        System.out.printf("  %-26s %9s %9s %10s%n", "", "wall (s)", "speedup", "CPUs busy");
        for (Row row : rows) {
            System.out.printf("  %-26s %9.3f %8.2fx %10.2f%n", row.name(), row.wallSeconds(), row.speedup(),
                    row.cpusBusy());
        }
    }

    /**
     * Runs {@code units} of {@link Work} split evenly over {@code threads} {@link GilThread}s of a new lock with this
     * scheduler, and returns the wall time: the claim's measurement, which {@code gil-benchmarks compare} takes for
     * each scheduler (two threads' throughput over one's).
     *
     * @param scheduler the lock's scheduler
     * @param threads how many GilThreads share the work
     * @param units work units in all, about a microsecond each
     * @return wall seconds from the first start to the last join
     * @throws InterruptedException if interrupted while joining
     */
    public static double secondsOnGilThreads(HandoffScheduler scheduler, int threads, long units)
            throws InterruptedException {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(scheduler).name("interpreter").build();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            workers.add(new GilThread(gil, () -> Work.countdown(gil, units / threads), "gil-worker-" + i));
        }
        long start = System.nanoTime();
        startAndJoin(workers);
        return (System.nanoTime() - start) / 1e9;
    }

    /** Each child runs the countdown under its own interpreter lock, as each Python process has its own GIL. */
    static void childCountdown(long units) {
        GlobalInterpreterLock own = GlobalInterpreterLock.create();
        own.acquire();
        try {
            Work.countdown(own, units);
        } finally {
            own.release();
        }
    }

    private static void runProcesses(int count, long units) throws InterruptedException {
        List<JvmProcess> children = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Daemons: if the tour is stopped (Ctrl-C), the children are killed with it rather than waited for.
            children.add(JvmProcess.builder(() -> childCountdown(units)).daemon(true).build());
        }
        children.forEach(JvmProcess::start);
        for (JvmProcess child : children) {
            child.join();
            child.close();
        }
    }

    private static void runThreads(int count, Runnable body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            threads.add(new Thread(body, "worker-" + i));
        }
        startAndJoin(threads);
    }

    private static void startAndJoin(List<Thread> threads) throws InterruptedException {
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void time(double[] wall, double[] cpu, int r, Measured body) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime() + ChildCpu.total();
        long t0 = System.nanoTime();
        body.run();
        long elapsed = System.nanoTime() - t0;
        wall[r] = elapsed / 1e9;
        cpu[r] = (os.getProcessCpuTime() + ChildCpu.total() - cpu0) / (double) elapsed;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    @FunctionalInterface
    private interface Measured {
        void run() throws InterruptedException;
    }
}
