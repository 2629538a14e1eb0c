package dev.gil.refcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The seed's warning about a mutex per object, shown and then avoided. */
class PerObjectLocksTest {

    @Test
    void takingTwoObjectsMutexesInOppositeOrdersDeadlocksAndIsDetected() throws Exception {
        Counted a = new Counted(RefCountMode.PER_OBJECT_LOCK);
        Counted b = new Counted(RefCountMode.PER_OBJECT_LOCK);
        CyclicBarrier bothHoldOne = new CyclicBarrier(2);
        Thread first = naive("a-then-b", a.mutex(), b.mutex(), bothHoldOne);
        Thread second = naive("b-then-a", b.mutex(), a.mutex(), bothHoldOne);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] deadlocked = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (deadlocked == null && System.nanoTime() < deadline) {
            deadlocked = threads.findDeadlockedThreads();
            Thread.onSpinWait();
        }
        // Reported, then broken: the naive threads wait interruptibly so the test never hangs.
        first.interrupt();
        second.interrupt();
        first.join();
        second.join();
        assertThat(deadlocked).as("ThreadMXBean found the deadlock").isNotNull();
        assertThat(Arrays.stream(deadlocked).boxed()).contains(threadId(first), threadId(second));
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and we build for 17
    private static long threadId(Thread thread) {
        return thread.getId();
    }

    private static Thread naive(String name, ReentrantLock outer, ReentrantLock inner, CyclicBarrier barrier) {
        Thread thread = new Thread(() -> {
            outer.lock();
            try {
                barrier.await(10, TimeUnit.SECONDS);
                inner.lockInterruptibly();
                inner.unlock();
            } catch (Exception interruptedOrBroken) {
                // the test broke the deadlock
            } finally {
                outer.unlock();
            }
        }, name);
        thread.start();
        return thread;
    }

    @Test
    void orderedLockingNeverDeadlocks() throws Exception {
        Counted a = new Counted(RefCountMode.PER_OBJECT_LOCK);
        Counted b = new Counted(RefCountMode.PER_OBJECT_LOCK);
        int moves = 100_000;
        // Each compound operation changes both counts and puts them back: only a half-seen one could break them.
        Thread forward = new Thread(() -> {
            for (int i = 0; i < moves; i++) {
                PerObjectLocks.withBoth(a, b, () -> {
                    a.retain();
                    b.retain();
                    a.release();
                    return b.release();
                });
            }
        }, "a-then-b");
        Thread backward = new Thread(() -> {
            for (int i = 0; i < moves; i++) {
                PerObjectLocks.withBoth(b, a, () -> {
                    b.retain();
                    a.retain();
                    b.release();
                    return a.release();
                });
            }
        }, "b-then-a");
        forward.start();
        backward.start();
        forward.join(TimeUnit.MINUTES.toMillis(1));
        backward.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(forward.isAlive() || backward.isAlive()).as("finished, no deadlock").isFalse();
        assertThat(a.refCnt()).isEqualTo(1);
        assertThat(b.refCnt()).isEqualTo(1);
    }

    @Test
    void onlyPerObjectLockObjectsHaveAMutex() {
        Counted atomic = new Counted(RefCountMode.ATOMIC);
        Counted locked = new Counted(RefCountMode.PER_OBJECT_LOCK);
        assertThatThrownBy(() -> PerObjectLocks.withBoth(locked, atomic, () -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ATOMIC mode");
    }
}
