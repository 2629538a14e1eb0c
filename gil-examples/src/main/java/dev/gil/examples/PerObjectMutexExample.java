package dev.gil.examples;

import dev.gil.refcount.PerObjectLocks;
import dev.gil.refcount.Rc;
import dev.gil.refcount.RefCountMode;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * "A mutex for every object: a big loss of performance, and a risk of deadlock" (object 하나하나 마다 대응하는 mutex가
 * 필요함! 성능적으로 많은 손해, deadlock 위험상황). Measures a count guarded by its own mutex against an unsynchronized one on
 * one thread; then two threads take two objects' mutexes in opposite orders, deadlock, are found by
 * {@code ThreadMXBean} and released by interrupting them; then the same moves in one global order
 * ({@link PerObjectLocks#withBoth}) never deadlock.
 *
 * <pre>{@code
 * PerObjectMutexExample.Result result = PerObjectMutexExample.measure(2_000_000, 100_000);
 * }</pre>
 */
public final class PerObjectMutexExample {
    private PerObjectMutexExample() {}

    /**
     * What was measured.
     *
     * @param unsynchronizedNanos ns per retain+release, unsynchronized
     * @param perObjectLockNanos ns per retain+release with a mutex per object
     * @param deadlockFoundMillis how long until ThreadMXBean reported the naive pair deadlocked; -1 if it did not
     * @param orderedMoves compound two-object operations done in opposite orders with ordered locking
     */
    public record Result(double unsynchronizedNanos, double perObjectLockNanos, double deadlockFoundMillis,
            int orderedMoves) {}

    /**
     * Runs the three parts.
     *
     * @param pairs retain+release pairs for the cost part
     * @param moves compound operations per thread for the ordered part
     * @return the result
     * @throws InterruptedException if interrupted
     */
    public static Result measure(int pairs, int moves) throws InterruptedException {
        double unsynchronized = nanosPerPair(RefCountMode.UNSYNCHRONIZED, pairs);
        double locked = nanosPerPair(RefCountMode.PER_OBJECT_LOCK, pairs);
        return new Result(unsynchronized, locked, naiveDeadlock(), ordered(moves));
    }

    private static double nanosPerPair(RefCountMode mode, int pairs) {
        Rc<Object> object = Rc.of(new Object(), o -> { }, mode);
        for (int i = 0; i < pairs; i++) { // warm up
            object.retain();
            object.release();
        }
        long start = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            object.retain();
            object.release();
        }
        return (System.nanoTime() - start) / (double) pairs;
    }

    /** Thread 1 locks A then B, thread 2 B then A, after both hold their first: the classic deadlock. */
    private static double naiveDeadlock() throws InterruptedException {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        AtomicInteger holdingFirst = new AtomicInteger();
        Thread first = naive("a-then-b", a, b, holdingFirst);
        Thread second = naive("b-then-a", b, a, holdingFirst);
        long start = System.nanoTime();
        long[] deadlocked = null;
        while (deadlocked == null && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
            deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
            Thread.onSpinWait();
        }
        double foundMillis = deadlocked == null ? -1 : (System.nanoTime() - start) / 1e6;
        first.interrupt(); // report, then break it: lockInterruptibly lets them go
        second.interrupt();
        first.join();
        second.join();
        return foundMillis;
    }

    private static Thread naive(String name, ReentrantLock outer, ReentrantLock inner, AtomicInteger holdingFirst) {
        Thread thread = new Thread(() -> {
            outer.lock();
            try {
                holdingFirst.incrementAndGet();
                while (holdingFirst.get() < 2) {
                    Thread.onSpinWait();
                }
                inner.lockInterruptibly();
                inner.unlock();
            } catch (InterruptedException brokenByTheDetector) {
                // the deadlock was reported and broken
            } finally {
                outer.unlock();
            }
        }, name);
        thread.start();
        return thread;
    }

    /** The same opposite-order compound operations, with both mutexes taken in one global order. */
    private static int ordered(int moves) throws InterruptedException {
        Rc<Object> a = Rc.of(new Object(), o -> { }, RefCountMode.PER_OBJECT_LOCK);
        Rc<Object> b = Rc.of(new Object(), o -> { }, RefCountMode.PER_OBJECT_LOCK);
        AtomicInteger done = new AtomicInteger();
        Thread forward = new Thread(() -> {
            for (int i = 0; i < moves; i++) {
                PerObjectLocks.withBoth(a, b, () -> {
                    b.retain();
                    return a.retain().release() && b.release();
                });
                done.incrementAndGet();
            }
        }, "a-then-b");
        Thread backward = new Thread(() -> {
            for (int i = 0; i < moves; i++) {
                PerObjectLocks.withBoth(b, a, () -> {
                    a.retain();
                    return b.retain().release() && a.release();
                });
                done.incrementAndGet();
            }
        }, "b-then-a");
        forward.start();
        backward.start();
        forward.join();
        backward.join();
        return done.get();
    }

    /**
     * Runs it and prints the result.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        print(measure(5_000_000, 200_000));
    }

    static void print(Result result) {
        System.out.printf("  retain+release, 1 thread: unsynchronized %.2f ns, mutex per object %.2f ns (%.1fx)%n",
                result.unsynchronizedNanos(), result.perObjectLockNanos(),
                result.perObjectLockNanos() / result.unsynchronizedNanos());
        System.out.printf("  two threads taking two objects' mutexes in opposite orders: %s%n",
                result.deadlockFoundMillis() < 0 ? "no deadlock found within 10 s"
                        : String.format("deadlocked; ThreadMXBean found it after %.1f ms; broken by interrupting",
                                result.deadlockFoundMillis()));
        System.out.printf("  the same in one global order (PerObjectLocks.withBoth): %,d moves, no deadlock%n",
                result.orderedMoves());
    }
}
