package dev.gil.core.internal;

import dev.gil.core.HandoffReason;
import dev.gil.core.HandoffScheduler;
import dev.gil.core.SchedulingContext;
import dev.gil.core.WaitingThread;
import java.util.List;

/**
 * CPython's "new GIL" (3.2+, {@code Python/ceval_gil.c}): a waiter times out after one interval and, if the holder
 * did not change meanwhile, sets {@code gil_drop_request}; the holder drops at its next eval-breaker check and hands
 * over (FORCE_SWITCHING: it cannot retake the lock before a waiter ran).
 */
public class SwitchIntervalScheduler implements HandoffScheduler {
    private final long intervalNanos;

    public SwitchIntervalScheduler(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    @Override
    public boolean mayBarge(WaitingThread candidate, SchedulingContext context) {
        // take_gil() takes a free GIL; only a pending drop request (forced switch) reserves it for the waiter.
        return !intervalExpired(context) || context.waiters().get(0) == candidate;
    }

    @Override
    public boolean shouldRequestDrop(SchedulingContext context) {
        return intervalExpired(context);
    }

    @Override
    public WaitingThread successor(HandoffReason reason, SchedulingContext context) {
        if (reason == HandoffReason.CHECKPOINT || intervalExpired(context)) {
            return context.waiters().get(0);
        }
        return null;
    }

    @Override
    public long recheckIntervalNanos() {
        return intervalNanos;
    }

    /**
     * The longest waiter has waited a whole interval with no change of holder. Checking the head is enough: it has
     * waited longest, and the holder's start is the same for everyone.
     */
    final boolean intervalExpired(SchedulingContext context) {
        List<WaitingThread> waiters = context.waiters();
        if (waiters.isEmpty()) {
            return false;
        }
        long since = Math.max(waiters.get(0).waitingSinceNanos(), context.holderSinceNanos());
        return context.nanoTime() - since >= intervalNanos;
    }

    final long intervalNanos() {
        return intervalNanos;
    }

    @Override
    public String toString() {
        return "switchInterval(" + Nanos.format(intervalNanos) + ")";
    }
}
