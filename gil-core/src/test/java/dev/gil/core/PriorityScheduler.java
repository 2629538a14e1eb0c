package dev.gil.core;

import java.util.Comparator;

/** A user-written scheduler, proving the SPI: highest {@link Thread#getPriority()} first, ties in arrival order. */
final class PriorityScheduler implements HandoffScheduler {
    @Override
    public boolean mayBarge(WaitingThread candidate, SchedulingContext context) {
        return candidate.thread().getPriority() > best(context).thread().getPriority() || best(context) == candidate;
    }

    @Override
    public boolean shouldRequestDrop(SchedulingContext context) {
        return !context.waiters().isEmpty();
    }

    @Override
    public WaitingThread successor(HandoffReason reason, SchedulingContext context) {
        return best(context);
    }

    private static WaitingThread best(SchedulingContext context) {
        // max() keeps the first of equal elements, so ties go to the longest waiter.
        return context.waiters().stream()
                .max(Comparator.comparingInt((WaitingThread w) -> w.thread().getPriority()))
                .orElseThrow();
    }

    @Override
    public String toString() {
        return "priority";
    }
}
