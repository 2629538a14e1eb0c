package dev.gil.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gil.core.internal.GuardedScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The lock under faults on purpose, as CPython's {@code test_threading} does: a scheduler (user code run in the middle
 * of every handoff) that throws or answers nonsense, and interrupts fired at random into threads that acquire, wait,
 * check in and block. The lock must keep mutual exclusion, strand no waiter, and end free; a broken scheduler is named
 * in the log. Every wait is bounded ({@link Threads#joinAll()}), and nothing here depends on timing.
 */
@Timeout(120)
class FaultInjectionTest {
    private static final int THREADS = 4;
    private static final int TURNS = 2_000;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger guardLogger = (Logger) LoggerFactory.getLogger(GuardedScheduler.class);

    @BeforeEach
    void captureTheLog() {
        log.start();
        guardLogger.addAppender(log);
    }

    @AfterEach
    void stopCapturing() {
        guardLogger.detachAppender(log);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mayBarge", "shouldRequestDrop", "successor", "recheckIntervalNanos", "stranger",
            "zeroRecheck"})
    void aBrokenSchedulerNeverBreaksTheLock(String fault) throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(new BrokenScheduler(fault))
                .name("broken-" + fault).build();

        long[] counter = {0};
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        Threads threads = new Threads();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        for (int t = 0; t < THREADS; t++) {
            threads.start("worker-" + t, () -> {
                start.await();
                for (int i = 0; i < TURNS; i++) {
                    gil.acquire();
                    try {
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        counter[0]++;
                        inside.decrementAndGet();
                        if (i % 50 == 0) {
                            // Make sure somebody queues, so that every scheduler decision is asked for.
                            while (gil.getQueueLength() == 0 && finished.get() < THREADS - 1) {
                                Thread.onSpinWait();
                            }
                        }
                        gil.checkpoint();
                        if (i % 100 == 0) {
                            gil.allowThreads(Thread::yield);
                        }
                    } finally {
                        gil.release();
                    }
                }
                finished.incrementAndGet();
            });
        }
        threads.joinAll();

        assertThat(overlaps).as("threads inside the lock at once").hasValue(0);
        assertThat(counter[0]).as("increments under the lock").isEqualTo((long) THREADS * TURNS);
        assertThat(gil.isLocked()).as("the lock ends free").isFalse();
        assertThat(gil.getQueueLength()).isZero();
        assertThat(gil.scheduler()).as("the scheduler as given").isInstanceOf(BrokenScheduler.class);
        String method = BrokenScheduler.METHOD.get(fault);
        List<ILoggingEvent> errors = log.list.stream().filter(event -> event.getLevel() == Level.ERROR).toList();
        assertThat(errors).as("the failure of %s, named once at ERROR", method).hasSize(1);
        assertThat(errors.get(0).getFormattedMessage())
                .contains("broken-" + fault, "broken scheduler", method + "()", "keeps working");
    }

    @ParameterizedTest
    @ValueSource(strings = {"switchInterval", "ioPriority", "fair", "unfair", "eventuallyFair"})
    void interruptsFiredAtRandomLeaveTheLockConsistent(String schedulerName) throws Exception {
        Map<String, Supplier<HandoffScheduler>> schedulers = Map.of(
                "switchInterval", () -> HandoffScheduler.switchInterval(Duration.ofMillis(1)),
                "ioPriority", HandoffScheduler::ioPriority,
                "fair", HandoffScheduler::fair,
                "unfair", HandoffScheduler::unfair,
                "eventuallyFair", () -> HandoffScheduler.eventuallyFair(Duration.ofMillis(1)));
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(schedulers.get(schedulerName).get())
                .build();
        int workers = 8;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger interruptedWaits = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Threads threads = new Threads();
        Thread[] targets = new Thread[workers];
        for (int t = 0; t < workers; t++) {
            targets[t] = threads.start("worker-" + t, () -> {
                for (int i = 0; i < 1_000; i++) {
                    if (!enter(gil, i, interruptedWaits)) {
                        continue;
                    }
                    try {
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        inside.decrementAndGet();
                        gil.checkpoint();
                        try {
                            gil.allowThreads(() -> Thread.sleep(0));
                        } catch (InterruptedException e) {
                            interruptedWaits.incrementAndGet(); // the lock is held again all the same
                        }
                        assertThat(gil.isHeldByCurrentThread()).isTrue();
                    } finally {
                        gil.release();
                    }
                }
                Thread.interrupted();
                assertThat(gil.isHeldByCurrentThread()).as("nothing held when a worker ends").isFalse();
            });
        }
        Thread interrupter = new Thread(() -> {
            while (!done.get()) {
                targets[ThreadLocalRandom.current().nextInt(workers)].interrupt();
                Thread.yield();
            }
        }, "interrupter");
        interrupter.setDaemon(true);
        interrupter.start();
        try {
            threads.joinAll();
        } finally {
            done.set(true);
            interrupter.join(Threads.TIMEOUT.toMillis());
        }

        assertThat(overlaps).as("threads inside the lock at once").hasValue(0);
        assertThat(gil.isLocked()).as("the lock ends free").isFalse();
        assertThat(gil.getQueueLength()).as("no waiter left queued").isZero();
        GilStats stats = gil.stats();
        assertThat(stats.acquisitions()).as("each worker got in at least once").isGreaterThanOrEqualTo(workers);
    }

    /** One of four ways in, some interruptible: returns whether the lock is now held. */
    private static boolean enter(GlobalInterpreterLock gil, int round, AtomicInteger interruptedWaits) {
        try {
            switch (round % 4) {
                case 0 -> gil.acquire();
                case 1 -> gil.acquireInterruptibly();
                case 2 -> {
                    return gil.tryAcquire(Duration.ofMillis(50));
                }
                default -> {
                    return gil.tryAcquire();
                }
            }
            return true;
        } catch (InterruptedException e) {
            interruptedWaits.incrementAndGet();
            return false;
        }
    }

    /**
     * {@code fair()}, with one decision broken the way {@code fault} says; {@code unfair()} for a broken
     * {@code mayBarge}, which is only asked when a freed lock is raced for.
     */
    static final class BrokenScheduler implements HandoffScheduler {
        static final Map<String, String> METHOD = Map.of("mayBarge", "mayBarge", "shouldRequestDrop",
                "shouldRequestDrop", "successor", "successor", "recheckIntervalNanos", "recheckIntervalNanos",
                "stranger", "successor", "zeroRecheck", "recheckIntervalNanos");

        private final HandoffScheduler fair;
        private final String fault;

        BrokenScheduler(String fault) {
            this.fault = fault;
            this.fair = fault.equals("mayBarge") ? HandoffScheduler.unfair() : HandoffScheduler.fair();
        }

        @Override
        public boolean mayBarge(WaitingThread candidate, SchedulingContext context) {
            failIf("mayBarge");
            return fair.mayBarge(candidate, context);
        }

        @Override
        public boolean shouldRequestDrop(SchedulingContext context) {
            failIf("shouldRequestDrop");
            return fair.shouldRequestDrop(context);
        }

        @Override
        public WaitingThread successor(HandoffReason reason, SchedulingContext context) {
            failIf("successor");
            return fault.equals("stranger") ? new Stranger() : fair.successor(reason, context);
        }

        @Override
        public long recheckIntervalNanos() {
            failIf("recheckIntervalNanos");
            return fault.equals("zeroRecheck") ? 0 : Duration.ofMillis(1).toNanos();
        }

        private void failIf(String method) {
            if (fault.equals(method)) {
                throw new IllegalStateException("injected fault in " + method);
            }
        }

        @Override
        public String toString() {
            return "broken scheduler (" + fault + ")";
        }
    }

    /** A thread that is not waiting for the lock. */
    private static final class Stranger implements WaitingThread {
        @Override
        public Thread thread() {
            return Thread.currentThread();
        }

        @Override
        public long waitingSinceNanos() {
            return 0;
        }

        @Override
        public boolean returningFromAllowThreads() {
            return false;
        }
    }
}
