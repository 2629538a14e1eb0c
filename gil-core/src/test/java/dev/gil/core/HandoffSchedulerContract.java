package dev.gil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What every {@link HandoffScheduler} must give a {@link GlobalInterpreterLock}, whatever its policy. Subclassed once
 * per built-in scheduler and once for a user-written one.
 */
abstract class HandoffSchedulerContract {
    private static final int THREADS = 4;
    private static final int INCREMENTS = 100_000;

    abstract HandoffScheduler scheduler();

    GlobalInterpreterLock newLock() {
        return GlobalInterpreterLock.builder().scheduler(scheduler()).name("contract").build();
    }

    /** A plain field, no volatile, no atomics: only the lock keeps increments from being lost. */
    private long counter;

    @Test
    void mutualExclusionWithCheckpoints() throws Exception {
        GlobalInterpreterLock gil = newLock();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        Threads threads = new Threads();
        for (int t = 0; t < THREADS; t++) {
            threads.start("incrementer-" + t, () -> {
                start.await(10, TimeUnit.SECONDS);
                gil.acquire();
                try {
                    for (int i = 1; i <= INCREMENTS; i++) {
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        counter++;
                        inside.decrementAndGet();
                        if (i % 10 == 0) {
                            gil.checkpoint();
                        }
                    }
                } finally {
                    gil.release();
                }
            });
        }
        threads.joinAll();
        assertThat(overlaps).hasValue(0);
        assertThat(counter).isEqualTo((long) THREADS * INCREMENTS);
        assertThat(gil.isLocked()).isFalse();
        assertThat(gil.getQueueLength()).isZero();
    }

    @Test
    void noLostWakeupsUnderShortCriticalSections() throws Exception {
        GlobalInterpreterLock gil = newLock();
        int perThread = 20_000;
        Threads threads = new Threads();
        CyclicBarrier start = new CyclicBarrier(THREADS * 2);
        for (int t = 0; t < THREADS * 2; t++) {
            boolean useHold = t % 2 == 0;
            threads.start("acquirer-" + t, () -> {
                start.await(10, TimeUnit.SECONDS);
                for (int i = 0; i < perThread; i++) {
                    if (useHold) {
                        try (GlobalInterpreterLock.Held held = gil.hold()) {
                            counter++;
                        }
                    } else if (gil.tryAcquire(Duration.ofMillis(1))) {
                        counter++;
                        gil.release();
                    } else {
                        gil.acquire();
                        counter++;
                        gil.release();
                    }
                }
            });
        }
        threads.joinAll();
        assertThat(counter).isEqualTo((long) THREADS * 2 * perThread);
        assertThat(gil.isLocked()).isFalse();
    }

    @Test
    void reentrantWithHoldCount() throws Exception {
        GlobalInterpreterLock gil = newLock();
        gil.acquire();
        gil.acquire();
        assertThat(gil.tryAcquire()).isTrue();
        assertThat(gil.getHoldCount()).isEqualTo(3);
        gil.checkpoint();
        assertThat(gil.getHoldCount()).isEqualTo(3);
        gil.release();
        gil.release();
        assertThat(gil.isHeldByCurrentThread()).isTrue();
        assertThat(otherThreadCanTake(gil)).isFalse();
        gil.release();
        assertThat(gil.isHeldByCurrentThread()).isFalse();
        assertThat(otherThreadCanTake(gil)).isTrue();
    }

    @Test
    void allowThreadsReleasesAroundTheWorkAndRestoresHolds() throws Exception {
        GlobalInterpreterLock gil = newLock();
        gil.acquire();
        gil.acquire();
        String result = gil.allowThreads(() -> {
            assertThat(gil.isHeldByCurrentThread()).isFalse();
            assertThat(otherThreadCanTake(gil)).isTrue();
            return "read";
        });
        assertThat(result).isEqualTo("read");
        assertThat(gil.getHoldCount()).isEqualTo(2);
        gil.release();
        gil.release();
    }

    @Test
    void allowThreadsPropagatesTheWorksExceptionAndStillReacquires() {
        GlobalInterpreterLock gil = newLock();
        gil.acquire();
        assertThatThrownBy(() -> gil.allowThreads(() -> {
            throw new IOException("disk on fire");
        })).isInstanceOf(IOException.class).hasMessage("disk on fire");
        assertThat(gil.getHoldCount()).isEqualTo(1);
        gil.release();
    }

    @Test
    void allowThreadsReacquiresWhenInterruptedWhileAnotherThreadHoldsTheLock() throws Exception {
        GlobalInterpreterLock gil = newLock();
        CountDownLatch otherHolds = new CountDownLatch(1);
        CountDownLatch letOtherGo = new CountDownLatch(1);
        Threads threads = new Threads();
        gil.acquire();
        gil.allowThreads(() -> {
            threads.start("holder", () -> {
                gil.acquire();
                otherHolds.countDown();
                letOtherGo.await();
                gil.release();
            });
            otherHolds.await();
            Thread.currentThread().interrupt();
            letOtherGo.countDown();
        });
        assertThat(Thread.interrupted()).as("interrupt status kept").isTrue();
        assertThat(gil.getHoldCount()).isEqualTo(1);
        gil.release();
        threads.joinAll();
    }

    @Test
    void interruptWhileWaitingLeaksNoOwnership() throws Exception {
        GlobalInterpreterLock gil = newLock();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        gil.acquire();
        Thread waiter = new Thread(() -> {
            try {
                gil.acquireInterruptibly();
                gil.release();
            } catch (InterruptedException e) {
                thrown.set(e);
            }
        }, "interruptible-waiter");
        waiter.start();
        Threads.await("the waiter is queued", () -> gil.getQueueLength() == 1);
        waiter.interrupt();
        waiter.join(Threads.TIMEOUT.toMillis());
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class).hasMessageContaining("contract");
        assertThat(gil.getQueueLength()).isZero();
        gil.release();
        assertThat(otherThreadCanTake(gil)).as("nobody kept the lock").isTrue();
    }

    @Test
    void acquireInterruptiblyThrowsAtOnceWhenAlreadyInterrupted() {
        GlobalInterpreterLock gil = newLock();
        Thread.currentThread().interrupt();
        assertThatThrownBy(gil::acquireInterruptibly).isInstanceOf(InterruptedException.class);
        assertThat(gil.isLocked()).isFalse();
    }

    @Test
    void acquireIsUninterruptibleAndKeepsTheInterrupt() throws Exception {
        GlobalInterpreterLock gil = newLock();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        gil.acquire();
        Thread waiter = new Thread(() -> {
            gil.acquire();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
            gil.release();
        }, "uninterruptible-waiter");
        waiter.start();
        Threads.await("the waiter is queued", () -> gil.getQueueLength() == 1);
        waiter.interrupt();
        gil.release();
        waiter.join(Threads.TIMEOUT.toMillis());
        assertThat(waiter.isAlive()).isFalse();
        assertThat(interruptedAfter).isTrue();
    }

    @Test
    void tryAcquireTimesOut() throws Exception {
        GlobalInterpreterLock gil = newLock();
        gil.acquire();
        AtomicBoolean timed = new AtomicBoolean(true);
        AtomicBoolean immediate = new AtomicBoolean(true);
        AtomicBoolean negative = new AtomicBoolean(true);
        Threads threads = new Threads();
        threads.start("try", () -> {
            timed.set(gil.tryAcquire(Duration.ofMillis(20)));
            immediate.set(gil.tryAcquire());
            negative.set(gil.tryAcquire(Duration.ofSeconds(-5)));
        });
        threads.joinAll();
        assertThat(timed).isFalse();
        assertThat(immediate).isFalse();
        assertThat(negative).isFalse();
        assertThat(gil.getQueueLength()).isZero();
        gil.release();
        assertThat(gil.tryAcquire(Duration.ofSeconds(-1))).as("free lock, no wait needed").isTrue();
        gil.release();
    }

    @Test
    void tryAcquireWithTimeoutSucceedsWhenTheHolderLetsGo() throws Exception {
        GlobalInterpreterLock gil = newLock();
        gil.acquire();
        AtomicBoolean got = new AtomicBoolean();
        Threads threads = new Threads();
        threads.start("try", () -> {
            got.set(gil.tryAcquire(Threads.TIMEOUT));
            gil.release();
        });
        Threads.await("the waiter is queued", () -> gil.getQueueLength() == 1);
        gil.release();
        threads.joinAll();
        assertThat(got).isTrue();
    }

    @Test
    void misuseNamesTheProblem() {
        GlobalInterpreterLock gil = newLock();
        assertThatThrownBy(gil::release).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("release()").hasMessageContaining("does not hold the lock 'contract'")
                .hasMessageContaining("nobody holds it");
        assertThatThrownBy(gil::checkpoint).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("checkpoint()");
        assertThatThrownBy(() -> gil.allowThreads(() -> "x")).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("allowThreads");
        assertThatThrownBy(() -> gil.allowThreads((BlockingCallable<String, RuntimeException>) null))
                .isInstanceOf(NullPointerException.class).hasMessage("work");
        assertThatThrownBy(() -> gil.tryAcquire(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void releaseByAnotherThreadIsRefused() throws Exception {
        GlobalInterpreterLock gil = newLock();
        gil.acquire();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Threads threads = new Threads();
        threads.start("intruder", () -> {
            try {
                gil.release();
            } catch (IllegalMonitorStateException e) {
                thrown.set(e);
            }
        });
        threads.joinAll();
        assertThat(thrown.get()).hasMessageContaining("'intruder'").hasMessageContaining("held by '"
                + Thread.currentThread().getName() + "'");
        assertThat(gil.isHeldByCurrentThread()).isTrue();
        gil.release();
    }

    @Test
    void aThreadThatDiesHoldingTheLockIsDetectedAndTheLockRecovered() throws Exception {
        GlobalInterpreterLock gil = newLock();
        Thread careless = new Thread(gil::acquire, "careless");
        careless.start();
        careless.join();
        assertThat(gil.isLocked()).isTrue();
        AtomicBoolean got = new AtomicBoolean();
        Threads threads = new Threads();
        threads.start("next", () -> {
            gil.acquire();
            got.set(true);
            gil.release();
        });
        threads.joinAll();
        assertThat(got).isTrue();
        assertThat(gil.stats().abandonedByDeadThreads()).isEqualTo(1);
    }

    @Test
    void gilThreadRunsItsTargetHoldingTheLockAndReleasesOnThrow() throws Exception {
        GlobalInterpreterLock gil = newLock();
        AtomicBoolean heldInTarget = new AtomicBoolean();
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        GilThread th1 = new GilThread(gil, () -> {
            heldInTarget.set(gil.isHeldByCurrentThread());
            gil.acquire(); // an unbalanced extra hold: the thread still releases everything
            throw new IllegalStateException("boom");
        }, "worker-1");
        th1.setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
        th1.start();
        th1.join(Threads.TIMEOUT.toMillis());
        assertThat(th1.getName()).isEqualTo("worker-1");
        assertThat(heldInTarget).isTrue();
        assertThat(uncaught.get()).hasMessage("boom");
        assertThat(gil.isLocked()).isFalse();
        assertThat(gil.stats().abandonedByDeadThreads()).isZero();
    }

    @Test
    void threadFactoryMakesGilThreads() throws Exception {
        GlobalInterpreterLock gil = newLock();
        AtomicBoolean held = new AtomicBoolean();
        Thread thread = gil.threadFactory().newThread(() -> held.set(gil.isHeldByCurrentThread()));
        assertThat(thread).isInstanceOf(GilThread.class);
        assertThat(thread.getName()).startsWith("contract-thread-");
        thread.start();
        thread.join(Threads.TIMEOUT.toMillis());
        assertThat(held).isTrue();
        assertThat(gil.isLocked()).isFalse();
    }

    @Test
    void aCheckpointWithNobodyWaitingKeepsTheLock() {
        GlobalInterpreterLock gil = newLock();
        gil.acquire();
        for (int i = 0; i < 10_000; i++) {
            gil.checkpoint();
        }
        assertThat(gil.stats().forcedSwitches()).isZero();
        assertThat(gil.stats().switches()).isEqualTo(1);
        gil.release();
    }

    private static boolean otherThreadCanTake(GlobalInterpreterLock gil) throws InterruptedException {
        AtomicBoolean took = new AtomicBoolean();
        Thread other = new Thread(() -> {
            if (gil.tryAcquire()) {
                took.set(true);
                gil.release();
            }
        }, "probe");
        other.start();
        other.join(Threads.TIMEOUT.toMillis());
        return took.get();
    }
}
