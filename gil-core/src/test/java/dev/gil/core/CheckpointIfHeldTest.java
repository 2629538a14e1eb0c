package dev.gil.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@link GlobalInterpreterLock#checkpointIfHeld()}: the agent's poll, safe from any thread. */
class CheckpointIfHeldTest {

    @Test
    void withoutTheLockItDoesNothingAndDoesNotThrow() {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        gil.checkpointIfHeld();
        assertThat(gil.isLocked()).isFalse();
    }

    @Test
    void theHolderHandsTheLockToAWaiterAtItsNextPoll() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair()).build();
        CountDownLatch holding = new CountDownLatch(1);
        AtomicBoolean waiterRan = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        long[] polls = new long[1];
        GilThread holder = new GilThread(gil, () -> {
            holding.countDown();
            while (!waiterRan.get() && !stop.get()) { // only a poll can let the waiter in
                gil.checkpointIfHeld();
                polls[0]++;
            }
        });
        holder.start();
        holding.await();
        GilThread waiter = new GilThread(gil, () -> waiterRan.set(true));
        waiter.start();
        waiter.join(TimeUnit.MINUTES.toMillis(1));
        stop.set(true);
        holder.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(waiterRan).isTrue();
        assertThat(polls[0]).isPositive();
        assertThat(gil.tryAcquire(Duration.ofMinutes(1))).isTrue();
        gil.release();
    }
}
