package dev.gil.core.internal;

import dev.gil.core.HandoffReason;
import dev.gil.core.SchedulingContext;
import dev.gil.core.WaitingThread;

/**
 * Beazley's fix for the convoy effect: a thread back from blocking I/O preempts a CPU-bound holder at its next
 * checkpoint. CPU-bound threads among themselves keep CPython's switch interval, so none starves.
 */
public final class IoPriorityScheduler extends SwitchIntervalScheduler {

    public IoPriorityScheduler(long intervalNanos) {
        super(intervalNanos);
    }

    @Override
    public boolean mayBarge(WaitingThread candidate, SchedulingContext context) {
        WaitingThread io = firstIoWaiter(context);
        if (io != null) {
            return io == candidate;
        }
        return super.mayBarge(candidate, context);
    }

    @Override
    public boolean shouldRequestDrop(SchedulingContext context) {
        return firstIoWaiter(context) != null || intervalExpired(context);
    }

    @Override
    public WaitingThread successor(HandoffReason reason, SchedulingContext context) {
        WaitingThread io = firstIoWaiter(context);
        return io != null ? io : super.successor(reason, context);
    }

    private static WaitingThread firstIoWaiter(SchedulingContext context) {
        for (WaitingThread waiter : context.waiters()) {
            if (waiter.returningFromAllowThreads()) {
                return waiter;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "ioPriority(" + Nanos.format(intervalNanos()) + ")";
    }
}
