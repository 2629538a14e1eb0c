package dev.gil.core.internal;

import com.google.common.base.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Hold and wait times per thread, drop-request latency and lock load, for one lock. Every value is recorded by the
 * thread that holds the lock at the time, into HdrHistogram {@link Recorder}s, which a snapshot may read while others
 * record. Kept only when the lock's builder asked for it: each record costs two clock reads.
 */
public final class TimingStats {
    private static final long HIGHEST = 3_600_000_000_000L; // an hour, in ns

    private final Ticker ticker;
    private final Map<Long, PerThread> threads = new ConcurrentHashMap<>();
    private final Recorder dropLatency = new Recorder(HIGHEST, 3);
    /** Guarded by {@code this} (snapshots). */
    private final Histogram dropLatencyTotal = new Histogram(HIGHEST, 3);
    private volatile long since;

    public TimingStats(Ticker ticker) {
        this.ticker = ticker;
        this.since = ticker.read();
    }

    public long now() {
        return ticker.read();
    }

    /** A snapshot of one thread. */
    public record ThreadSnapshot(String name, long heldNanos, long waitedNanos, Histogram holds, Histogram waits) {}

    /** A snapshot of the lock. */
    public record Snapshot(List<ThreadSnapshot> threads, Histogram dropLatency, long elapsedNanos) {}

    public void held(Thread thread, long nanos) {
        perThread(thread).held(nanos);
    }

    public void waited(Thread thread, long nanos) {
        perThread(thread).waited(nanos);
    }

    public void dropLatency(long nanos) {
        dropLatency.recordValue(clamp(nanos));
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
    private PerThread perThread(Thread thread) {
        return threads.computeIfAbsent(thread.getId(), id -> new PerThread(thread.getName()));
    }

    public synchronized Snapshot snapshot() {
        List<ThreadSnapshot> result = new ArrayList<>();
        for (PerThread perThread : threads.values()) {
            result.add(perThread.snapshot());
        }
        dropLatency.getIntervalHistogramInto(scratch());
        dropLatencyTotal.add(scratch);
        return new Snapshot(result, dropLatencyTotal.copy(), ticker.read() - since);
    }

    public synchronized void reset() {
        threads.clear();
        dropLatency.reset();
        dropLatencyTotal.reset();
        since = ticker.read();
    }

    private Histogram scratch;

    private Histogram scratch() {
        if (scratch == null) {
            scratch = new Histogram(HIGHEST, 3);
        }
        scratch.reset();
        return scratch;
    }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(HIGHEST, nanos));
    }

    /** One thread's recorders; the sums are written by the thread itself while it holds the lock. */
    private static final class PerThread {
        private final String name;
        private final Recorder holds = new Recorder(HIGHEST, 3);
        private final Recorder waits = new Recorder(HIGHEST, 3);
        /** Written only by the thread itself (never concurrently), read by snapshots. */
        private volatile long heldNanos;
        private volatile long waitedNanos;
        /** Guarded by the enclosing stats' monitor (snapshots). */
        private final Histogram holdsTotal = new Histogram(HIGHEST, 3);
        private final Histogram waitsTotal = new Histogram(HIGHEST, 3);

        PerThread(String name) {
            this.name = name;
        }

        void held(long nanos) {
            holds.recordValue(clamp(nanos));
            heldNanos += nanos;
        }

        void waited(long nanos) {
            waits.recordValue(clamp(nanos));
            waitedNanos += nanos;
        }

        ThreadSnapshot snapshot() {
            holdsTotal.add(holds.getIntervalHistogram());
            waitsTotal.add(waits.getIntervalHistogram());
            return new ThreadSnapshot(name, heldNanos, waitedNanos, holdsTotal.copy(), waitsTotal.copy());
        }
    }
}
