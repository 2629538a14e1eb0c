package dev.gil.core.internal;

/**
 * Passes the lock's slow-path events to JDK Flight Recorder ({@link JfrEvents}): contended acquisitions, direct
 * handoffs and drop requests. Always on; an event costs nothing until a recording enables it.
 */
final class JfrObserver implements LockObserver {
    private final String lockName;
    private final Object scheduler;

    /** {@code scheduler} is turned into its name only for an event that is committed. */
    JfrObserver(String lockName, Object scheduler) {
        this.lockName = lockName;
        this.scheduler = scheduler;
    }

    @Override
    public void beforeSlowPath() {
        JfrEvents.prepare();
    }

    @Override
    public void acquired(long now, long waitedNanos, int queueLength) {
        if (waitedNanos != DID_NOT_WAIT) {
            JfrEvents.acquired(lockName, scheduler, waitedNanos);
        }
    }

    @Override
    public void handedOff(long now, Thread successor, int queueLength) {
        JfrEvents.handedOff(lockName, Thread.currentThread(), successor);
    }

    @Override
    public void dropRequested(long now, Thread holder, int queueLength) {
        JfrEvents.dropRequested(lockName, holder, queueLength);
    }
}
