package dev.gil.core.internal;

import com.google.common.base.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.HdrHistogram.Histogram;

/**
 * Hold and wait times per thread, drop-request latency and lock load, for one lock. Kept only when the lock's builder
 * asked for it.
 *
 * <p>Each thread records into its own {@link ThreadTimings}, found once per acquisition: no cache line is shared
 * between threads and no atomic instruction is executed, so a handoff pays a few plain stores. The clock readings
 * come from the lock, which takes them anyway; only an uncontended acquisition and release read the clock for timings
 * alone (two readings, each more than the uncontended acquisition itself). A {@link #snapshot()} reads the threads' distributions while they
 * record (see {@link SingleWriterHistogram}).
 *
 * <p>{@link #reset()} starts a new generation: each thread clears its own distributions at its next acquisition, and
 * snapshots skip threads still in an older generation. Nobody but the owning thread ever writes its distributions.
 */
public final class TimingStats {
    private final Ticker ticker;
    private final Queue<ThreadTimings> threads = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<ThreadTimings> current = ThreadLocal.withInitial(this::register);
    private volatile int generation;
    private volatile long since;

    public TimingStats(Ticker ticker) {
        this.ticker = ticker;
        this.since = ticker.read();
    }

    /** A snapshot of one thread. */
    public record ThreadSnapshot(String name, long heldNanos, long waitedNanos, Histogram holds, Histogram waits) {}

    /** A snapshot of the lock. */
    public record Snapshot(List<ThreadSnapshot> threads, Histogram dropLatency, long elapsedNanos) {}

    /** The current thread's timings, cleared first if a reset happened since it last recorded. */
    public ThreadTimings forCurrentThread() {
        ThreadTimings timings = current.get();
        int now = generation;
        if (timings.generation != now) {
            timings.restart(now);
        }
        return timings;
    }

    private ThreadTimings register() {
        ThreadTimings timings = new ThreadTimings(Thread.currentThread(), generation);
        threads.add(timings);
        return timings;
    }

    public synchronized Snapshot snapshot() {
        int now = generation;
        List<ThreadSnapshot> result = new ArrayList<>();
        Histogram dropLatency = newHistogram();
        for (ThreadTimings timings : threads) {
            if (timings.generation != now) {
                continue;
            }
            timings.drops.copyInto(dropLatency);
            if (timings.holds.count() + timings.waits.count() > 0) {
                result.add(timings.snapshot());
            }
        }
        return new Snapshot(result, dropLatency, ticker.read() - since);
    }

    /** Starts afresh; threads that have ended are forgotten. */
    public synchronized void reset() {
        threads.removeIf(timings -> !timings.thread.isAlive());
        generation++;
        since = ticker.read();
    }

    static Histogram newHistogram() {
        return new Histogram(SingleWriterHistogram.HIGHEST, 3);
    }

    /**
     * One thread's hold times, wait times and drop-request latencies (the time from a drop request to this thread
     * dropping the lock). Written by that thread only, while it holds the lock.
     */
    public static final class ThreadTimings {
        private final Thread thread;
        private final String name;
        private volatile int generation;
        private SingleWriterHistogram holds = new SingleWriterHistogram();
        private SingleWriterHistogram waits = new SingleWriterHistogram();
        private SingleWriterHistogram drops = new SingleWriterHistogram();

        ThreadTimings(Thread thread, int generation) {
            this.thread = thread;
            this.name = thread.getName();
            this.generation = generation;
        }

        public void held(long nanos) {
            holds.record(nanos);
        }

        public void waited(long nanos) {
            waits.record(nanos);
        }

        public void droppedAfter(long nanos) {
            drops.record(nanos);
        }

        /** New distributions, published by the volatile write of the generation that snapshots check first. */
        private void restart(int newGeneration) {
            holds = new SingleWriterHistogram();
            waits = new SingleWriterHistogram();
            drops = new SingleWriterHistogram();
            generation = newGeneration;
        }

        private ThreadSnapshot snapshot() {
            Histogram holdsCopy = newHistogram();
            Histogram waitsCopy = newHistogram();
            holds.copyInto(holdsCopy);
            waits.copyInto(waitsCopy);
            return new ThreadSnapshot(name, holds.sum(), waits.sum(), holdsCopy, waitsCopy);
        }
    }
}
