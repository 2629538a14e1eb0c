package dev.gil.examples;

import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * "Race condition: a problem caused by several threads changing shared data" (여러 thread가 공유된 데이터를 변경함으로써
 * 발생하는 문제). Four threads each add one to a shared counter many times, four ways:
 * <ol>
 *   <li>plain Java threads, no lock: updates are lost;</li>
 *   <li>{@link GilThread}s, {@code c = c + 1} with no checkpoint inside: nothing is lost, only because no switch can
 *       happen between the read and the write;</li>
 *   <li>{@link GilThread}s, {@code c = c + one()} where {@code one()} contains a checkpoint, as a Python function call
 *       contains an eval-breaker check: updates are lost again. The GIL does not make your code thread-safe;</li>
 *   <li>the same with a mutex held around the read-modify-write: nothing is lost.</li>
 * </ol>
 * CPython 3.11 loses 0 of {@code c += 1} and 44–57% of {@code c = c + one()} (see {@code gil-benchmarks/src/main/python/gil_peer.py}). The
 * lock here switches every 100 µs rather than 5 ms, because this loop is about 100 times faster than CPython's.
 *
 * <pre>{@code
 * List<RaceConditionExample.Row> rows = RaceConditionExample.measure(4, 100_000);
 * }</pre>
 */
public final class RaceConditionExample {
    /**
     * The shared counter: no volatile, no atomics. Read and written with opaque accesses, the same instructions as a
     * plain field, so that every {@code c = c + 1} really reads and writes memory: with a plain field the JIT turns a
     * loop of increments into one addition, and the race disappears into the optimiser instead of showing.
     */
    private static long counter;

    private static final java.lang.invoke.VarHandle COUNTER;

    static {
        try {
            COUNTER = java.lang.invoke.MethodHandles.lookup().findStaticVarHandle(RaceConditionExample.class,
                    "counter", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RaceConditionExample() {}

    private static long read() {
        return (long) COUNTER.getOpaque();
    }

    private static void write(long value) {
        COUNTER.setOpaque(value);
    }

    /**
     * One way of incrementing, how many increments it lost, and what an increment cost.
     *
     * @param name the way
     * @param expected increments made
     * @param actual the counter's final value
     * @param nanosPerIncrement wall time over increments made, all threads together
     */
    public record Row(String name, long expected, long actual, double nanosPerIncrement) {
        /**
         * A row with no timing.
         *
         * @param name the way
         * @param expected increments made
         * @param actual the counter's final value
         */
        public Row(String name, long expected, long actual) {
            this(name, expected, actual, Double.NaN);
        }

        /**
         * Returns how many increments were lost.
         *
         * @return expected less actual
         */
        public long lost() {
            return expected - actual;
        }
    }

    /**
     * Runs the four ways.
     *
     * @param threads how many threads
     * @param perThread increments per thread
     * @return one row per way
     * @throws InterruptedException if interrupted
     */
    public static List<Row> measure(int threads, int perThread) throws InterruptedException {
        List<Row> rows = new ArrayList<>();
        long expected = (long) threads * perThread;
        rows.add(run("Java threads, no lock", expected, threads, null, () -> {
            for (int i = 0; i < perThread; i++) {
                write(read() + 1);
            }
        }));
        // A switch every 100 us (CPython's sys.setswitchinterval(0.0001)): our loop runs about 100 times faster than
        // CPython's, so at 5 ms a whole run could fit in one interval and never switch at all.
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("interpreter")
                .scheduler(HandoffScheduler.switchInterval(Duration.ofNanos(100_000))).build();
        rows.add(run("GIL, c = c + 1", expected, threads, gil, () -> {
            for (int i = 0; i < perThread; i++) {
                write(read() + 1);
                gil.checkpoint(); // between statements, like CPython's backward-jump check
            }
        }));
        rows.add(run("GIL, c = c + one()", expected, threads, gil, () -> {
            for (int i = 0; i < perThread; i++) {
                long c = read();
                write(c + one(gil));
            }
        }));
        ReentrantLock mutex = new ReentrantLock();
        int locked = perThread / 100; // a lock convoy: each increment costs a microsecond or more, as in CPython
        rows.add(run("GIL + mutex, c = c + one()", (long) threads * locked, threads, gil, () -> {
            for (int i = 0; i < locked; i++) {
                // Python's `with lock:`: a thread that blocks on the mutex must let the GIL go, or the holder of the
                // mutex could never run again (a deadlock between the two locks).
                gil.allowThreads(mutex::lock);
                try {
                    long c = read();
                    write(c + one(gil));
                } finally {
                    mutex.unlock();
                }
            }
        }));
        return rows;
    }

    /** A function call: CPython checks the eval breaker on entry, so another thread may run here. */
    private static long one(GlobalInterpreterLock gil) {
        gil.checkpoint();
        return 1;
    }

    private static Row run(String name, long expected, int threads, GlobalInterpreterLock gil, Runnable body)
            throws InterruptedException {
        write(0);
        List<Thread> workers = new ArrayList<>();
        // Plain threads start together, or the first could finish before the last one starts and nothing would race.
        // (GilThreads start holding the lock, so they need no rendezvous: they take turns anyway.)
        java.util.concurrent.atomic.AtomicInteger arrived = new java.util.concurrent.atomic.AtomicInteger();
        Runnable together = () -> {
            StartTogether.arriveAndWait(arrived, threads);
            body.run();
        };
        for (int t = 0; t < threads; t++) {
            workers.add(gil == null ? new Thread(together, "racer-" + t) : new GilThread(gil, body, "racer-" + t));
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }
        return new Row(name, expected, read(), (System.nanoTime() - start) / (double) expected);
    }

    /**
     * Runs it and prints the table.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        print(measure(4, 10_000_000));
    }

    static void print(List<Row> rows) {
        System.out.printf("  %-28s %12s %12s %12s%n", "", "expected", "actual", "lost");
        for (Row row : rows) {
            System.out.printf("  %-28s %,12d %,12d %,12d%n", row.name(), row.expected(), row.actual(), row.lost());
        }
    }
}
