package dev.gil.core.internal;

import dev.gil.core.HandoffReason;
import dev.gil.core.HandoffScheduler;
import dev.gil.core.SchedulingContext;
import dev.gil.core.WaitingThread;

/** The phone booth: no queue order, no handoff; anyone may grab a free lock. */
public final class UnfairScheduler implements HandoffScheduler {
    public static final UnfairScheduler INSTANCE = new UnfairScheduler();

    private UnfairScheduler() {}

    @Override
    public boolean mayBarge(WaitingThread candidate, SchedulingContext context) {
        return true;
    }

    @Override
    public boolean shouldRequestDrop(SchedulingContext context) {
        // Somebody is at the door: the holder steps out at its next checkpoint and races back in.
        return !context.waiters().isEmpty();
    }

    @Override
    public WaitingThread successor(HandoffReason reason, SchedulingContext context) {
        return null;
    }

    @Override
    public String toString() {
        return "unfair";
    }
}
