package dev.gil.core.internal;

import dev.gil.core.HandoffReason;
import dev.gil.core.HandoffScheduler;
import dev.gil.core.SchedulingContext;
import dev.gil.core.WaitingThread;
import java.util.List;

/**
 * Go's {@code sync.Mutex}: normal mode barges (fast, unfair); once the longest waiter has waited more than the bound
 * the lock enters starvation mode and is handed directly to it, and nobody may barge until it ran.
 */
public final class EventuallyFairScheduler implements HandoffScheduler {
    private final long boundNanos;

    public EventuallyFairScheduler(long boundNanos) {
        this.boundNanos = boundNanos;
    }

    @Override
    public boolean mayBarge(WaitingThread candidate, SchedulingContext context) {
        return !starving(context) || context.waiters().get(0) == candidate;
    }

    @Override
    public boolean shouldRequestDrop(SchedulingContext context) {
        return !context.waiters().isEmpty();
    }

    @Override
    public WaitingThread successor(HandoffReason reason, SchedulingContext context) {
        return starving(context) ? context.waiters().get(0) : null;
    }

    @Override
    public long recheckIntervalNanos() {
        return boundNanos;
    }

    private boolean starving(SchedulingContext context) {
        List<WaitingThread> waiters = context.waiters();
        return !waiters.isEmpty() && context.nanoTime() - waiters.get(0).waitingSinceNanos() > boundNanos;
    }

    @Override
    public String toString() {
        return "eventuallyFair(" + Nanos.format(boundNanos) + ")";
    }
}
