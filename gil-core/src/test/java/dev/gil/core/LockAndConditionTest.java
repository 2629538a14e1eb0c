package dev.gil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lock as a {@link Lock}, its {@link Condition}, the interruptible timed acquire, and targets that throw. */
@Timeout(60)
class LockAndConditionTest {

    @Test
    void itIsALockWhereverOneIsExpected() throws Exception {
        Lock lock = GlobalInterpreterLock.builder().name("as-a-lock").build();
        lock.lock();
        assertThat(lock.tryLock()).as("reentrant").isTrue();
        assertThat(lock.tryLock(1, TimeUnit.SECONDS)).isTrue();
        assertThat(((GlobalInterpreterLock) lock).getHoldCount()).isEqualTo(3);
        lock.unlock();
        lock.unlock();
        lock.unlock();
        assertThat(((GlobalInterpreterLock) lock).isHeldByCurrentThread()).isFalse();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("as-a-lock");
    }

    @Test
    void aTimedAcquireEndsWithAnInterruptedExceptionAndWithoutTheLock() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("timed").build();
        gil.acquire();
        Threads threads = new Threads();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicBoolean statusAfter = new AtomicBoolean(true);
        Thread waiter = threads.start("waiter", () -> {
            try {
                gil.tryAcquire(Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                outcome.set(e);
                statusAfter.set(Thread.currentThread().isInterrupted());
                assertThat(gil.isHeldByCurrentThread()).isFalse();
            }
        });
        Threads.await("the waiter is queued", () -> gil.getQueueLength() == 1);
        waiter.interrupt();
        threads.joinAll();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class).hasMessageContaining("timed");
        assertThat(statusAfter.get()).as("cleared, as java.util.concurrent does when it throws").isFalse();
        assertThat(gil.getQueueLength()).isZero();
        gil.release();
        assertThat(gil.tryAcquire()).as("the lock is free and the queue empty").isTrue();
        gil.release();
    }

    @Test
    void aTimedAcquireThatRunsOutReturnsFalseAndAnInterruptBeforeItThrows() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Threads threads = new Threads();
        threads.start("holder", () -> {
            gil.acquire();
            held.countDown();
            done.await();
            gil.release();
        });
        held.await();
        assertThat(gil.tryAcquire(Duration.ofMillis(1))).as("held by another thread").isFalse();
        done.countDown();
        threads.joinAll();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> gil.tryAcquire(Duration.ZERO)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(gil.tryAcquire(Duration.ofSeconds(Long.MAX_VALUE))).as("a huge timeout is no overflow").isTrue();
        gil.release();
    }

    @Test
    void awaitLetsGoOfEveryHoldAndTakesThemBack() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("cond").build();
        Condition ready = gil.newCondition();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger holdsAfterWait = new AtomicInteger();
        CountDownLatch waiting = new CountDownLatch(1);
        Threads threads = new Threads();
        threads.start("consumer", () -> {
            gil.acquire();
            gil.acquire();
            try {
                waiting.countDown();
                while (!done.get()) {
                    ready.await();
                }
                holdsAfterWait.set(gil.getHoldCount());
            } finally {
                gil.release();
                gil.release();
            }
        });
        waiting.await();
        gil.acquire(); // only possible because await let go of both holds
        try {
            done.set(true);
            ready.signal();
        } finally {
            gil.release();
        }
        threads.joinAll();
        assertThat(holdsAfterWait.get()).isEqualTo(2);
    }

    @Test
    void signalAllWakesEveryWaiterAndEachRunsHoldingTheLock() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        Condition go = gil.newCondition();
        int waiters = 16;
        AtomicInteger queued = new AtomicInteger();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        boolean[] released = {false};
        List<GilThread> threads = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            threads.add(new GilThread(gil, () -> {
                queued.incrementAndGet();
                while (!released[0]) { // guarded by the lock
                    go.await();
                }
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                inside.decrementAndGet();
            }, "waiter-" + i));
        }
        threads.forEach(Thread::start);
        Threads.await("every waiter is waiting", () -> queued.get() == waiters);
        gil.acquire();
        released[0] = true;
        go.signalAll();
        gil.release();
        for (GilThread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).as("%s woke", thread.getName()).isFalse();
        }
        assertThat(overlaps.get()).as("two waiters inside the lock at once").isZero();
    }

    @Test
    void aTimedAwaitWithNoSignalReturnsFalseHoldingTheLockAgain() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        Condition never = gil.newCondition();
        gil.acquire();
        assertThat(never.await(1, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(never.awaitNanos(1_000)).isNotPositive();
        assertThat(gil.getHoldCount()).isEqualTo(1);
        gil.release();
    }

    @Test
    void anInterruptedAwaitThrowsHoldingTheLockAgain() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        Condition never = gil.newCondition();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean heldWhenThrown = new AtomicBoolean();
        CountDownLatch waiting = new CountDownLatch(1);
        GilThread waiter = new GilThread(gil, () -> {
            waiting.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                thrown.set(e);
                heldWhenThrown.set(gil.isHeldByCurrentThread());
            }
        });
        waiter.start();
        waiting.await();
        gil.acquire(); // the waiter has let go: it is parked in await
        waiter.interrupt();
        gil.release();
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(heldWhenThrown.get()).isTrue();
    }

    @Test
    void aConditionUsedWithoutTheLockNamesTheMisuse() {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("unheld").build();
        Condition condition = gil.newCondition();
        assertThatThrownBy(condition::await).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("Condition.await()").hasMessageContaining("unheld");
        assertThatThrownBy(condition::signal).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("Condition.signal()");
        assertThatThrownBy(condition::signalAll).isInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    void aTargetMayThrowACheckedExceptionWhichReachesTheHandlerAfterTheLockIsFree() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        AtomicReference<Throwable> caught = new AtomicReference<>();
        AtomicBoolean lockFreeInHandler = new AtomicBoolean();
        GilThread thread = new GilThread(gil, () -> {
            throw new IOException("the peer went away");
        }, "reader");
        thread.setUncaughtExceptionHandler((t, e) -> {
            caught.set(e);
            lockFreeInHandler.set(!gil.isLocked());
        });
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(caught.get()).isInstanceOf(IOException.class).hasMessage("the peer went away");
        assertThat(lockFreeInHandler.get()).isTrue();
    }
}
