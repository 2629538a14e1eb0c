package dev.gil.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of threads may wait for one lock (a virtual thread per request, an executor per task). Only the longest
 * waiter wakes on the scheduler's recheck interval; the others sleep until they become the longest, so waiting costs
 * the machine the same whether one thread waits or ten thousand. Before, every waiter woke on the interval and took
 * the lock's internal guard, and past a few thousand platform threads the lock spent the machine on waking up: 10,000
 * threads that each slept four times for 10 ms with the lock released ran for minutes.
 */
@Timeout(120)
class ManyWaitersTest {
    private static final int WAITERS = 50;
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** FIFO handoff that never asks for a drop, but asks on every recheck, and counts the questions. */
    private static final class CountingScheduler implements HandoffScheduler {
        final AtomicInteger questions = new AtomicInteger();
        final AtomicBoolean counting = new AtomicBoolean();

        @Override
        public boolean mayBarge(WaitingThread candidate, SchedulingContext context) {
            return context.waiters().isEmpty() || context.waiters().get(0) == candidate;
        }

        @Override
        public boolean shouldRequestDrop(SchedulingContext context) {
            if (counting.get()) {
                questions.incrementAndGet();
            }
            return false;
        }

        @Override
        public WaitingThread successor(HandoffReason reason, SchedulingContext context) {
            return context.waiters().get(0);
        }

        @Override
        public long recheckIntervalNanos() {
            return RECHECK_NANOS;
        }
    }

    @Test
    void onlyTheLongestWaiterWakesOnTheRecheckInterval() throws Exception {
        CountingScheduler scheduler = new CountingScheduler();
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(scheduler).name("many").build();
        Threads threads = new Threads();
        gil.acquire();
        for (int i = 0; i < WAITERS; i++) {
            threads.start("waiter-" + i, () -> {
                gil.acquire();
                gil.release();
            });
        }
        Threads.await("every waiter queued", () -> gil.getQueueLength() == WAITERS);

        scheduler.counting.set(true);
        long start = System.nanoTime();
        long holdUntil = start + TimeUnit.MILLISECONDS.toNanos(200);
        while (System.nanoTime() < holdUntil) {
            LockSupport.parkNanos(holdUntil - System.nanoTime()); // holding the lock, as a long computation would
        }
        scheduler.counting.set(false);
        long recheckIntervals = (System.nanoTime() - start) / RECHECK_NANOS;
        gil.release();
        threads.joinAll();

        // One waiter rechecking asks about once an interval (fewer if its timer is late); fifty would ask fifty times
        // as often. Ten times is far from both.
        assertThat(scheduler.questions.get())
                .as("questions in %d recheck intervals with %d waiters", recheckIntervals, WAITERS)
                .isLessThanOrEqualTo(10 * (int) recheckIntervals);
        assertThat(gil.stats().acquisitions()).isEqualTo(WAITERS + 1);
    }

    @Test
    void thousandsOfWaitersThatBlockWithTheLockReleasedAllFinish() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder()
                .scheduler(HandoffScheduler.switchInterval(Duration.ofMillis(5))).name("thousands").build();
        Thread[] started = new Thread[2_000];
        AtomicInteger finished = new AtomicInteger();
        for (int i = 0; i < started.length; i++) {
            started[i] = gil.threadFactory().newThread(() -> {
                for (int s = 0; s < 4; s++) {
                    gil.allowThreads(() -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)));
                }
                finished.incrementAndGet();
            });
            started[i].start();
        }
        for (Thread thread : started) {
            thread.join(TimeUnit.SECONDS.toMillis(100));
        }
        assertThat(finished).hasValue(started.length);
        assertThat(gil.isLocked()).isFalse();
        assertThat(gil.getQueueLength()).isZero();
    }
}
