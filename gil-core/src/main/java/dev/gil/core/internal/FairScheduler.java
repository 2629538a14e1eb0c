package dev.gil.core.internal;

import dev.gil.core.HandoffReason;
import dev.gil.core.HandoffScheduler;
import dev.gil.core.SchedulingContext;
import dev.gil.core.WaitingThread;

/** Strict FIFO: the longest waiter always gets the lock next, at release and at every checkpoint. */
public final class FairScheduler implements HandoffScheduler {
    public static final FairScheduler INSTANCE = new FairScheduler();

    private FairScheduler() {}

    @Override
    public boolean mayBarge(WaitingThread candidate, SchedulingContext context) {
        return context.waiters().get(0) == candidate;
    }

    @Override
    public boolean shouldRequestDrop(SchedulingContext context) {
        return !context.waiters().isEmpty();
    }

    @Override
    public WaitingThread successor(HandoffReason reason, SchedulingContext context) {
        return context.waiters().get(0);
    }

    @Override
    public String toString() {
        return "fair";
    }
}
