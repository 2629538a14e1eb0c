package dev.gil.core.internal;

import dev.gil.core.HandoffReason;
import dev.gil.core.HandoffScheduler;
import dev.gil.core.SchedulingContext;
import dev.gil.core.WaitingThread;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler as the lock consults it: the user's, with its failures contained. A scheduler is user code that runs in
 * the middle of a handoff, under the lock's internal guard and on whichever thread happens to be acquiring, releasing
 * or checking in; an exception thrown there would leave the lock half handed over (owned by a thread that believes it
 * let go) and would surface in a thread that did nothing wrong. So a scheduler that throws, or answers with a thread
 * that is not waiting, or a recheck interval that is not positive, gets the phone booth's answer for that decision
 * (barging allowed, a drop requested while anyone waits, the freed lock raced for), and the failure is logged through
 * SLF4J at ERROR, naming the lock, the scheduler and the method, with the exception: the first time for each method,
 * then at DEBUG. The lock keeps its invariants and no waiter is stranded; the log is where the bug shows.
 *
 * <p>{@link VirtualMachineError}s are not contained: nothing sensible can follow them.
 */
public final class GuardedScheduler implements HandoffScheduler {
    private static final Logger logger = LoggerFactory.getLogger(GuardedScheduler.class);

    private final HandoffScheduler scheduler;
    private final String lockName;
    /** A bit per method: set once that method's failure was logged at ERROR. */
    private final AtomicInteger loggedAtError = new AtomicInteger();

    public GuardedScheduler(HandoffScheduler scheduler, String lockName) {
        this.scheduler = scheduler;
        this.lockName = lockName;
    }

    /** Returns the scheduler this one guards. */
    public HandoffScheduler guarded() {
        return scheduler;
    }

    @Override
    public boolean mayBarge(WaitingThread candidate, SchedulingContext context) {
        try {
            return scheduler.mayBarge(candidate, context);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed(0, "mayBarge", e, "the candidate may barge");
            return true;
        }
    }

    @Override
    public boolean shouldRequestDrop(SchedulingContext context) {
        try {
            return scheduler.shouldRequestDrop(context);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed(1, "shouldRequestDrop", e, "a drop is requested while anyone waits");
            return !context.waiters().isEmpty();
        }
    }

    @Override
    public WaitingThread successor(HandoffReason reason, SchedulingContext context) {
        WaitingThread chosen;
        try {
            chosen = scheduler.successor(reason, context);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed(2, "successor", e, "the freed lock is raced for");
            return null;
        }
        if (chosen != null && !isWaiting(chosen, context)) {
            failed(2, "successor", new IllegalStateException("it chose " + chosen
                    + ", which is not one of the waiting threads " + context.waiters()), "the freed lock is raced for");
            return null;
        }
        return chosen;
    }

    private static boolean isWaiting(WaitingThread chosen, SchedulingContext context) {
        for (WaitingThread waiter : context.waiters()) {
            if (waiter == chosen) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long recheckIntervalNanos() {
        long nanos;
        try {
            nanos = scheduler.recheckIntervalNanos();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed(3, "recheckIntervalNanos", e, "waiters recheck only on events");
            return Long.MAX_VALUE;
        }
        if (nanos <= 0) {
            failed(3, "recheckIntervalNanos", new IllegalStateException("it returned " + nanos
                    + " ns, which is not positive"), "waiters recheck only on events");
            return Long.MAX_VALUE;
        }
        return nanos;
    }

    private void failed(int method, String name, Throwable cause, String instead) {
        int bit = 1 << method;
        if ((loggedAtError.getAndUpdate(logged -> logged | bit) & bit) == 0) {
            logger.error("Lock {}: scheduler {} failed in {}(); instead, {}. The lock keeps working, but the scheduler"
                    + " has a bug (later failures are logged at DEBUG)", lockName, scheduler, name, instead, cause);
        } else {
            logger.debug("Lock {}: scheduler {} failed in {}() again; instead, {}", lockName, scheduler, name, instead,
                    cause);
        }
    }

    @Override
    public String toString() {
        return scheduler.toString();
    }
}
