package dev.gil.core.internal;

import static com.google.common.base.Preconditions.checkState;

import com.google.common.base.Ticker;

/**
 * The one observer a lock talks to: JFR always, timings when the builder asked for them, and a trace while one
 * runs. Each event goes to each of them in that order, with the same clock reading. The lock reads
 * {@link #readsClock()} (one volatile load, as a trace may start at any time) before taking readings that only
 * observers need.
 *
 * <p>Thread-safety: events follow {@link LockObserver}'s rules; starting and stopping a trace, timing snapshots and
 * resets may come from any thread.
 */
public final class LockObservers implements LockObserver {
    private final String lockName;
    private final Ticker ticker;
    private final LockObserver jfr;
    /** {@link LockObserver#NONE} unless timings were asked for. */
    private final LockObserver timings;
    /** The running trace's observer, or {@link LockObserver#NONE}. Written under {@code this}. */
    private volatile LockObserver trace = NONE;

    /**
     * @param lockName the lock's name, for events and messages
     * @param scheduler the lock's scheduler, named in JFR events
     * @param ticker the lock's clock, for timings and traces
     * @param recordTimings whether to keep {@link TimingStats}
     */
    public LockObservers(String lockName, Object scheduler, Ticker ticker, boolean recordTimings) {
        this.lockName = lockName;
        this.ticker = ticker;
        this.jfr = new JfrObserver(lockName, scheduler);
        this.timings = recordTimings ? new TimingObserver(new TimingStats(ticker)) : NONE;
    }

    @Override
    public boolean readsClock() {
        return timings != NONE || trace != NONE;
    }

    @Override
    public void beforeSlowPath() {
        jfr.beforeSlowPath();
    }

    @Override
    public void acquired(long now, long waitedNanos, int queueLength) {
        jfr.acquired(now, waitedNanos, queueLength);
        timings.acquired(now, waitedNanos, queueLength);
        trace.acquired(now, waitedNanos, queueLength);
    }

    @Override
    public void released(long now, boolean toBlock, int queueLength) {
        timings.released(now, toBlock, queueLength);
        trace.released(now, toBlock, queueLength);
    }

    @Override
    public Runnable droppedAtCheckpoint(long now, int queueLength) {
        trace.droppedAtCheckpoint(now, queueLength);
        return timings.droppedAtCheckpoint(now, queueLength);
    }

    @Override
    public void queued(long waitStart, int queueLength) {
        trace.queued(waitStart, queueLength);
    }

    @Override
    public void handedOff(long now, Thread successor, int queueLength) {
        trace.handedOff(now, successor, queueLength);
        jfr.handedOff(now, successor, queueLength);
    }

    @Override
    public void dropRequested(long now, Thread holder, int queueLength) {
        timings.dropRequested(now, holder, queueLength);
        trace.dropRequested(now, holder, queueLength);
        jfr.dropRequested(now, holder, queueLength);
    }

    /**
     * Returns a snapshot of the timings, or {@code null} if the lock keeps none.
     *
     * @return the snapshot or {@code null}
     */
    public TimingStats.Snapshot timingSnapshot() {
        return timings instanceof TimingObserver observer ? observer.stats().snapshot() : null;
    }

    /** Starts the timings afresh; does nothing if the lock keeps none. */
    public void resetTimings() {
        if (timings instanceof TimingObserver observer) {
            observer.stats().reset();
        }
    }

    /**
     * Starts recording a trace.
     *
     * @param capacity how many events to keep, positive
     * @return the buffer the trace records into
     * @throws IllegalStateException if a trace is already running
     */
    public synchronized TraceBuffer startTrace(int capacity) {
        checkState(trace == NONE, "a trace is already running on the lock '%s': stop it first", lockName);
        TraceObserver started = new TraceObserver(new TraceBuffer(capacity, ticker));
        trace = started;
        return started.buffer();
    }

    /**
     * Stops recording into {@code buffer}, if it is the running trace's; otherwise does nothing.
     *
     * @param buffer a buffer {@link #startTrace} returned
     */
    public synchronized void stopTrace(TraceBuffer buffer) {
        if (trace instanceof TraceObserver running && running.buffer() == buffer) {
            trace = NONE;
        }
    }
}
