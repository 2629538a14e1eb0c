package dev.gil.benchmarks;

import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;

/**
 * CPython's {@code cpu} bench: the same CPU-bound work on one thread holding the lock, then split over two
 * {@link GilThread}s, with a checkpoint per microsecond of work. The ratio is throughput of two over one: CPython
 * measures 0.96–1.0.
 */
final class CpuThroughput {
    private CpuThroughput() {}

    static double oneThreadSeconds(HandoffScheduler scheduler, long units) throws InterruptedException {
        GlobalInterpreterLock gil = lock(scheduler);
        GilThread thread = new GilThread(gil, () -> CpuWork.units(gil, units), "cpu-1");
        return time(thread);
    }

    static double twoThreadsSeconds(HandoffScheduler scheduler, long units) throws InterruptedException {
        GlobalInterpreterLock gil = lock(scheduler);
        GilThread first = new GilThread(gil, () -> CpuWork.units(gil, units / 2), "cpu-a");
        GilThread second = new GilThread(gil, () -> CpuWork.units(gil, units / 2), "cpu-b");
        return time(first, second);
    }

    private static GlobalInterpreterLock lock(HandoffScheduler scheduler) {
        return GlobalInterpreterLock.builder().scheduler(scheduler).name("cpu").build();
    }

    private static double time(Thread... threads) throws InterruptedException {
        long start = System.nanoTime();
        for (Thread thread : threads) {
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
