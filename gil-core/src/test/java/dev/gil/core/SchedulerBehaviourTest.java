package dev.gil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Each built-in policy does what its documentation says. Time is a {@link FakeTicker}: a switch interval passes only
 * when the test advances the clock, so nothing here depends on how fast the machine is.
 */
class SchedulerBehaviourTest {
    private final FakeTicker ticker = new FakeTicker();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final Threads threads = new Threads();

    private GlobalInterpreterLock lock(HandoffScheduler scheduler) {
        return GlobalInterpreterLock.builder().scheduler(scheduler).ticker(ticker).name("behaviour").build();
    }

    /** Starts a thread that queues for the lock, records its turn, and waits until it is queued. */
    private Thread queue(GlobalInterpreterLock gil, String name) {
        int queued = gil.getQueueLength();
        Thread thread = threads.start(name, () -> {
            gil.acquire();
            order.add(name);
            gil.release();
        });
        Threads.await(name + " is queued", () -> gil.getQueueLength() == queued + 1);
        return thread;
    }

    @Test
    void fairHandsOverInArrivalOrder() throws Exception {
        GlobalInterpreterLock gil = lock(HandoffScheduler.fair());
        gil.acquire();
        for (int i = 1; i <= 5; i++) {
            queue(gil, "t" + i);
        }
        gil.release();
        threads.joinAll();
        assertThat(order).containsExactly("t1", "t2", "t3", "t4", "t5");
        assertThat(gil.stats().handoffs()).isEqualTo(5);
    }

    @Test
    void fairCheckpointHandsTheLockToTheWaiterBeforeReturning() throws Exception {
        GlobalInterpreterLock gil = lock(HandoffScheduler.fair());
        gil.acquire();
        queue(gil, "waiter");
        gil.checkpoint();
        assertThat(order).as("the waiter ran inside our checkpoint").containsExactly("waiter");
        assertThat(gil.stats().forcedSwitches()).isEqualTo(1);
        gil.release();
        threads.joinAll();
    }

    @Test
    void fairRefusesToLetANewcomerBargeAheadOfTheQueue() throws Exception {
        GlobalInterpreterLock gil = lock(HandoffScheduler.fair());
        gil.acquire();
        queue(gil, "queued");
        AtomicBoolean newcomerGotIt = new AtomicBoolean(true);
        threads.start("newcomer", () -> newcomerGotIt.set(gil.tryAcquire()));
        Threads.await("newcomer tried", () -> !newcomerGotIt.get() || order.size() > 5);
        gil.release();
        threads.joinAll();
        assertThat(newcomerGotIt).isFalse();
    }

    @Test
    void unfairLetsTheReleasingThreadBargeBackIn() throws Exception {
        GlobalInterpreterLock gil = lock(HandoffScheduler.unfair());
        gil.acquire();
        // At a checkpoint the unfair holder drops the lock and races for it again. Against a parked waiter it
        // usually wins, once its own code is compiled: the phone booth has no queue. Each trial queues a fresh
        // waiter, waits until it is parked, checkpoints once and looks whether the waiter got in.
        int trials = 0;
        int keptIt = 0;
        while (trials < 200 && keptIt < 10) {
            int before = order.size();
            Thread waiter = queue(gil, "waiter-" + trials);
            Threads.await("the waiter is parked",
                    () -> waiter.getState() == Thread.State.TIMED_WAITING || order.size() > before);
            gil.checkpoint();
            if (order.size() == before) {
                keptIt++;
                gil.allowThreads(() -> waiter.join()); // let it through, outside the trial
            }
            trials++;
        }
        gil.release();
        threads.joinAll();
        assertThat(keptIt).as("trials (of %d) where the releaser barged back in ahead of a parked waiter", trials)
                .isPositive();
        assertThat(gil.stats().handoffs()).as("unfair never hands the lock to anyone").isZero();
    }

    @Test
    void switchIntervalDropsOnlyAfterTheIntervalWhenSomeoneWaits() throws Exception {
        GlobalInterpreterLock gil = lock(HandoffScheduler.switchInterval(Duration.ofMillis(5)));
        gil.acquire();
        queue(gil, "waiter");
        for (int i = 0; i < 10_000; i++) {
            gil.checkpoint();
        }
        assertThat(order).as("no drop before the interval").isEmpty();
        assertThat(gil.stats().dropRequests()).isZero();

        ticker.advance(Duration.ofMillis(5));
        // The waiter re-checks once per interval of real time, sees the fake clock moved and requests a drop.
        AtomicBoolean waiterRanBeforeWeGotItBack = new AtomicBoolean();
        Threads.await("the forced switch", () -> {
            gil.checkpoint();
            waiterRanBeforeWeGotItBack.set(!order.isEmpty());
            return waiterRanBeforeWeGotItBack.get();
        });
        assertThat(gil.stats().forcedSwitches()).isEqualTo(1);
        assertThat(gil.stats().dropRequests()).isEqualTo(1);
        gil.release();
        threads.joinAll();
    }

    @Test
    void switchIntervalNeverDropsWhenNobodyWaits() {
        GlobalInterpreterLock gil = lock(HandoffScheduler.switchInterval(Duration.ofMillis(5)));
        gil.acquire();
        ticker.advance(Duration.ofHours(1));
        for (int i = 0; i < 10_000; i++) {
            gil.checkpoint();
        }
        assertThat(gil.stats().dropRequests()).isZero();
        assertThat(gil.stats().forcedSwitches()).isZero();
        gil.release();
    }

    @Test
    void switchIntervalRestartsTheIntervalAtEveryChangeOfHolder() throws Exception {
        GlobalInterpreterLock gil = lock(HandoffScheduler.switchInterval(Duration.ofMillis(5)));
        gil.acquire();
        ticker.advance(Duration.ofMillis(4));
        gil.release();
        gil.acquire();
        queue(gil, "waiter");
        ticker.advance(Duration.ofMillis(4));
        for (int i = 0; i < 10_000; i++) {
            gil.checkpoint();
        }
        assertThat(order).as("4 ms of waiting is not an interval").isEmpty();
        gil.release();
        threads.joinAll();
    }

    @Test
    void switchIntervalVoluntaryReleaseWithNoDropRequestedHandsNothingOver() throws Exception {
        // drop_gil() with no gil_drop_request: it frees the GIL and signals; whoever gets there first takes it.
        GlobalInterpreterLock gil = lock(HandoffScheduler.switchInterval(Duration.ofMillis(5)));
        gil.acquire();
        queue(gil, "waiter");
        for (int i = 0; i < 100; i++) {
            gil.allowThreads(() -> order.add("blocked"));
        }
        assertThat(gil.stats().handoffs()).as("a release with no drop request is a race, never a handoff").isZero();
        assertThat(gil.stats().forcedSwitches()).isZero();
        gil.release();
        threads.joinAll();
        assertThat(order).contains("waiter");
    }

    @Test
    void switchIntervalVoluntaryReleaseWhileADropIsRequestedIsAForcedSwitch() throws Exception {
        // drop_gil() with gil_drop_request set waits until another thread took the GIL (FORCE_SWITCHING).
        GlobalInterpreterLock gil = lock(HandoffScheduler.switchInterval(Duration.ofMillis(5)));
        gil.acquire();
        queue(gil, "waiter");
        ticker.advance(Duration.ofMillis(5));
        Threads.await("the waiter's drop request", () -> gil.stats().dropRequests() == 1);
        gil.allowThreads(() -> order.add("blocked"));
        assertThat(order).as("the waiter ran before the releaser got the lock back")
                .containsExactlyInAnyOrder("blocked", "waiter");
        assertThat(gil.stats().handoffs()).isEqualTo(1);
        gil.release();
        threads.joinAll();
    }

    @Test
    void ioPriorityLetsAThreadBackFromAllowThreadsInAheadOfCpuBoundWaiters() throws Exception {
        GlobalInterpreterLock gil = lock(HandoffScheduler.ioPriority());
        CountDownLatch inAllowThreads = new CountDownLatch(1);
        CountDownLatch ioDone = new CountDownLatch(1);
        threads.start("io", () -> {
            gil.acquire();
            gil.allowThreads(() -> {
                inAllowThreads.countDown();
                ioDone.await();
            });
            order.add("io");
            gil.release();
        });
        inAllowThreads.await();
        gil.acquire();
        queue(gil, "cpu");
        ioDone.countDown();
        Threads.await("the I/O thread is back and queued", () -> gil.getQueueLength() == 2);
        gil.checkpoint();
        assertThat(order).as("the I/O thread preempted us at once, ahead of the earlier CPU waiter")
                .startsWith("io");
        gil.release();
        threads.joinAll();
        assertThat(order).containsExactly("io", "cpu");
    }

    @Test
    void eventuallyFairHandsOverOnceTheLongestWaitExceedsTheBound() throws Exception {
        GlobalInterpreterLock gil = lock(HandoffScheduler.eventuallyFair(Duration.ofMillis(1)));
        gil.acquire();
        queue(gil, "starving");
        ticker.advance(Duration.ofMillis(2));
        gil.checkpoint();
        assertThat(order).as("handed over inside our checkpoint").containsExactly("starving");
        assertThat(gil.stats().handoffs()).isEqualTo(1);
        gil.release();
        threads.joinAll();
    }

    @Test
    void eventuallyFairBargesWhileNobodyStarves() throws Exception {
        GlobalInterpreterLock gil = lock(HandoffScheduler.eventuallyFair(Duration.ofMillis(1)));
        gil.acquire();
        queue(gil, "waiter");
        for (int i = 0; i < 100 && order.isEmpty(); i++) {
            gil.checkpoint();
        }
        assertThat(gil.stats().handoffs()).as("no handoff before the bound").isZero();
        gil.release();
        threads.joinAll();
    }

    @Test
    void aCustomSchedulerDecidesTheOrder() throws Exception {
        GlobalInterpreterLock gil = lock(new PriorityScheduler());
        gil.acquire();
        threads.start("low", () -> {
            gil.acquire();
            order.add("low");
            gil.release();
        }).setPriority(Thread.MIN_PRIORITY);
        Threads.await("low is queued", () -> gil.getQueueLength() == 1);
        Thread high = new Thread(() -> {
            gil.acquire();
            order.add("high");
            gil.release();
        }, "high");
        high.setPriority(Thread.MAX_PRIORITY);
        high.start();
        Threads.await("high is queued", () -> gil.getQueueLength() == 2);
        gil.release();
        high.join(Threads.TIMEOUT.toMillis());
        threads.joinAll();
        assertThat(order).containsExactly("high", "low");
    }

    @Test
    void badConfigurationIsRefusedWithTheValue() {
        assertThatThrownBy(() -> HandoffScheduler.switchInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("interval must be positive but was PT0S");
        assertThatThrownBy(() -> HandoffScheduler.eventuallyFair(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bound must be positive");
        assertThatThrownBy(() -> HandoffScheduler.switchInterval(null)).isInstanceOf(NullPointerException.class);
        GlobalInterpreterLock.Builder builder = GlobalInterpreterLock.builder().name("a");
        assertThatThrownBy(() -> builder.name("b")).isInstanceOf(IllegalStateException.class)
                .hasMessage("name was already set to a");
        assertThatThrownBy(() -> GlobalInterpreterLock.builder().name(" "))
                .isInstanceOf(IllegalArgumentException.class);
        GlobalInterpreterLock.Builder withScheduler = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair());
        assertThatThrownBy(() -> withScheduler.scheduler(HandoffScheduler.unfair()))
                .isInstanceOf(IllegalStateException.class).hasMessage("scheduler was already set to fair");
        assertThatThrownBy(() -> new GilThread(null, () -> { })).isInstanceOf(NullPointerException.class)
                .hasMessage("gil");
    }

    @Test
    void defaultsAreCPythons() {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        assertThat(gil.scheduler()).hasToString("switchInterval(5ms)");
        assertThat(gil.name()).startsWith("gil-");
        assertThat(HandoffScheduler.eventuallyFair(Duration.ofSeconds(1))).hasToString("eventuallyFair(1s)");
        assertThat(gil.toString()).contains("free", "0 waiting");
    }
}
