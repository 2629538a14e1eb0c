package dev.gil.core.internal;

/**
 * Records hold times, wait times and drop-request latency into {@link TimingStats}. The state of the current hold
 * (whose timings, since when) lives here in plain fields: only the holder touches it, and the lock's ownership
 * transfer orders one holder's writes before the next one's reads.
 */
final class TimingObserver implements LockObserver {
    private final TimingStats stats;
    /** The current holder's timings, found once per acquisition. Holder only. */
    private TimingStats.ThreadTimings holderTimings;
    /** When the current holder took the lock. Holder only. */
    private long holdStartNanos;
    /** When the eval breaker was last set. Written under the lock's guard, read by the holder under it. */
    private long dropRequestedAtNanos;

    TimingObserver(TimingStats stats) {
        this.stats = stats;
    }

    TimingStats stats() {
        return stats;
    }

    @Override
    public boolean readsClock() {
        return true;
    }

    @Override
    public void acquired(long now, long waitedNanos, int queueLength) {
        holderTimings = stats.forCurrentThread();
        holdStartNanos = now;
        if (waitedNanos != DID_NOT_WAIT) {
            holderTimings.waited(waitedNanos);
        }
    }

    @Override
    public void released(long now, boolean toBlock, int queueLength) {
        holderTimings.held(now - holdStartNanos);
    }

    @Override
    public Runnable droppedAtCheckpoint(long now, int queueLength) {
        // The holder's own histograms, which only it writes: recorded once it has queued, off the successor's way.
        TimingStats.ThreadTimings mine = holderTimings;
        long heldNanos = now - holdStartNanos;
        long dropLatencyNanos = now - dropRequestedAtNanos;
        return () -> {
            mine.droppedAfter(dropLatencyNanos);
            mine.held(heldNanos);
        };
    }

    @Override
    public void dropRequested(long now, Thread holder, int queueLength) {
        dropRequestedAtNanos = now;
    }
}
