package dev.gil.benchmarks;

import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two of the seed post's claims as CPython's {@code io} and {@code race} benches measure them: I/O-bound threads do
 * well under the lock (they release it around the blocking call), and an unsynchronized {@code c += 1} from several
 * threads loses updates unless one lock serializes them.
 */
final class SeedScenarios {
    private static final VarHandle COUNTER;

    static {
        try {
            COUNTER = MethodHandles.lookup().findStaticVarHandle(SeedScenarios.class, "counter", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The shared counter; read and written with opaque accesses, so the JIT keeps every increment as CPython does. */
    @SuppressWarnings("unused")
    private static long counter;

    private SeedScenarios() {}

    /**
     * CPython's {@code io}: {@code threads} threads each sleeping {@code sleeps} times inside {@code allowThreads},
     * against the same sleeps one thread after another, all under one lock.
     *
     * @return sequential time over threaded time (ideal: {@code threads})
     */
    static double ioSpeedup(int threads, int sleeps, Duration sleep) throws InterruptedException {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            gil.acquire();
            try {
                sleepReleasingTheLock(gil, sleeps, sleep);
            } finally {
                gil.release();
            }
        }
        double sequential = System.nanoTime() - start;
        List<GilThread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new GilThread(gil, () -> sleepReleasingTheLock(gil, sleeps, sleep)));
        }
        start = System.nanoTime();
        for (GilThread worker : workers) {
            worker.start();
        }
        for (GilThread worker : workers) {
            worker.join();
        }
        return sequential / (System.nanoTime() - start);
    }

    private static void sleepReleasingTheLock(GlobalInterpreterLock gil, int sleeps, Duration sleep) {
        for (int i = 0; i < sleeps; i++) {
            try {
                gil.allowThreads(() -> Thread.sleep(sleep.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One run of CPython's {@code race}: updates lost, and nanoseconds per increment. */
    record Race(long lost, double nanosPerIncrement) {}

    /**
     * {@code threads} threads each doing {@code perThread} read-then-write increments of one counter: plain threads
     * when {@code gil} is null, else {@link GilThread}s calling {@code checkpoint()} after every increment (CPython's
     * eval loop may switch between any two bytecodes).
     */
    static Race race(int threads, int perThread, GlobalInterpreterLock gil) throws InterruptedException {
        counter = 0;
        AtomicInteger ready = new AtomicInteger();
        List<Thread> racers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Runnable body = () -> {
                ready.incrementAndGet();
                while (ready.get() < threads) { // start together, so the increments overlap
                    if (gil != null) {
                        gil.checkpoint(); // a GilThread holds the lock: let the others in to say they are ready
                    } else {
                        Thread.onSpinWait();
                    }
                }
                for (int i = 0; i < perThread; i++) {
                    COUNTER.setOpaque((long) COUNTER.getOpaque() + 1);
                    if (gil != null) {
                        gil.checkpoint();
                    }
                }
            };
            racers.add(gil == null ? new Thread(body) : new GilThread(gil, body));
        }
        long start = System.nanoTime();
        for (Thread racer : racers) {
            racer.start();
        }
        for (Thread racer : racers) {
            racer.join();
        }
        double nanos = System.nanoTime() - start;
        long expected = (long) threads * perThread;
        return new Race(expected - (long) COUNTER.getOpaque(), nanos / expected);
    }
}
