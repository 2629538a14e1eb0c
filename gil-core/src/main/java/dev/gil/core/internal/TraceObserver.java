package dev.gil.core.internal;

/** Records the lock's events into a running trace's {@link TraceBuffer}, with the times the lock read anyway. */
final class TraceObserver implements LockObserver {
    private final TraceBuffer buffer;

    TraceObserver(TraceBuffer buffer) {
        this.buffer = buffer;
    }

    TraceBuffer buffer() {
        return buffer;
    }

    @Override
    public boolean readsClock() {
        return true;
    }

    @Override
    public void acquired(long now, long waitedNanos, int queueLength) {
        buffer.record(TraceBuffer.Kind.ACQUIRE, now, null, queueLength);
    }

    @Override
    public void released(long now, boolean toBlock, int queueLength) {
        buffer.record(toBlock ? TraceBuffer.Kind.RELEASE_FOR_BLOCKING : TraceBuffer.Kind.RELEASE, now, null,
                queueLength);
    }

    @Override
    public Runnable droppedAtCheckpoint(long now, int queueLength) {
        buffer.record(TraceBuffer.Kind.RELEASE, now, null, queueLength);
        return NOTHING_DEFERRED;
    }

    @Override
    public void queued(long waitStart, int queueLength) {
        buffer.record(TraceBuffer.Kind.WAIT, waitStart, null, queueLength);
    }

    @Override
    public void handedOff(long now, Thread successor, int queueLength) {
        buffer.record(TraceBuffer.Kind.HANDOFF, now, successor, queueLength);
    }

    @Override
    public void dropRequested(long now, Thread holder, int queueLength) {
        buffer.record(TraceBuffer.Kind.DROP_REQUEST, now, null, queueLength);
    }
}
