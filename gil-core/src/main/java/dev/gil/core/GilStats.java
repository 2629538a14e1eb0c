package dev.gil.core;

import dev.gil.core.internal.LockObservers;
import dev.gil.core.internal.TimingStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A snapshot of a {@link GlobalInterpreterLock}'s counters since it was built.
 *
 * <p>Immutable and thread-safe. The counters are kept by whichever thread holds the lock at the time, so a snapshot
 * taken while other threads use the lock is a consistent-enough view, not an atomic one: each figure is exact, but
 * two figures may be a few events apart. Timings (hold and wait times, lock load, fairness, drop-request latency)
 * are there only when the lock was built with {@link GlobalInterpreterLock.Builder#recordTimings(boolean)}; otherwise
 * {@link #timingsRecorded()} is {@code false} and they read as empty or zero.
 *
 * <pre>{@code
 * GilStats stats = gil.stats();
 * System.out.printf("%d acquisitions, %d switches, %d forced%n",
 *         stats.acquisitions(), stats.switches(), stats.forcedSwitches());
 * }</pre>
 */
public final class GilStats {
    private final String lockName;
    private final String scheduler;
    private final long acquisitions;
    private final long contendedAcquisitions;
    private final long switches;
    private final long handoffs;
    private final long forcedSwitches;
    private final long dropRequests;
    private final long abandonedByDeadThreads;
    private final int queueLength;
    private final TimingStats.Snapshot timings;

    GilStats(String lockName, String scheduler, long acquisitions, long contendedAcquisitions, long switches,
            long handoffs, long forcedSwitches, long dropRequests, long abandonedByDeadThreads, int queueLength,
            TimingStats.Snapshot timings) {
        this.lockName = lockName;
        this.scheduler = scheduler;
        this.acquisitions = acquisitions;
        this.contendedAcquisitions = contendedAcquisitions;
        this.switches = switches;
        this.handoffs = handoffs;
        this.forcedSwitches = forcedSwitches;
        this.dropRequests = dropRequests;
        this.abandonedByDeadThreads = abandonedByDeadThreads;
        this.queueLength = queueLength;
        this.timings = timings;
    }

    /** These counters with the timings {@code observers} keep, if they keep any. */
    GilStats withTimingsOf(LockObservers observers) {
        TimingStats.Snapshot snapshot = observers.timingSnapshot();
        return snapshot == null ? this : new GilStats(lockName, scheduler, acquisitions, contendedAcquisitions, switches, handoffs,
                forcedSwitches, dropRequests, abandonedByDeadThreads, queueLength, snapshot);
    }

    /**
     * Tells whether timings were recorded (see {@link GlobalInterpreterLock.Builder#recordTimings(boolean)}).
     *
     * @return {@code true} if the timing figures are meaningful
     */
    public boolean timingsRecorded() {
        return timings != null;
    }

    /**
     * Returns each thread's hold and wait times, most time held first.
     *
     * @return one entry per thread that took the lock since the timings started; empty without timings
     */
    public List<ThreadTimes> threads() {
        if (timings == null) {
            return List.of();
        }
        List<ThreadTimes> result = new ArrayList<>();
        for (TimingStats.ThreadSnapshot thread : timings.threads()) {
            result.add(new ThreadTimes(thread.name(), thread.heldNanos(), thread.waitedNanos(),
                    percentiles(thread.holds()), percentiles(thread.waits())));
        }
        result.sort((a, b) -> Long.compare(b.heldNanos(), a.heldNanos()));
        return Collections.unmodifiableList(result);
    }

    /**
     * Returns the fraction of time the lock was held since the timings started: 1.0 means always busy, the GIL as
     * the bottleneck.
     *
     * @return a number from 0 to 1; 0 without timings
     */
    public double lockLoad() {
        if (timings == null || timings.elapsedNanos() <= 0) {
            return 0;
        }
        long held = 0;
        for (TimingStats.ThreadSnapshot thread : timings.threads()) {
            held += thread.heldNanos();
        }
        return Math.min(1.0, held / (double) timings.elapsedNanos());
    }

    /**
     * Returns Jain's fairness index over the threads' total hold times: {@code (sum x)^2 / (n * sum x^2)}. 1.0 when
     * every thread held the lock equally long, {@code 1/n} when one thread had it all.
     *
     * @return a number from 1/n to 1; 1 with fewer than one thread or without timings
     */
    public double fairnessIndex() {
        if (timings == null || timings.threads().isEmpty()) {
            return 1.0;
        }
        double sum = 0;
        double squares = 0;
        for (TimingStats.ThreadSnapshot thread : timings.threads()) {
            sum += thread.heldNanos();
            squares += (double) thread.heldNanos() * thread.heldNanos();
        }
        return squares == 0 ? 1.0 : sum * sum / (timings.threads().size() * squares);
    }

    /**
     * Returns how long holders took to let go after a drop was requested: the eval breaker's latency, bounded by how
     * often the holder calls {@link GlobalInterpreterLock#checkpoint()}.
     *
     * @return the distribution in nanoseconds; empty without timings
     */
    public Percentiles dropRequestLatency() {
        return timings == null ? Percentiles.EMPTY : percentiles(timings.dropLatency());
    }

    /**
     * Returns how many changes of holder were not forced by a drop request: a release, or {@code allowThreads}.
     *
     * @return {@link #switches()} less {@link #forcedSwitches()}, at least zero
     */
    public long voluntarySwitches() {
        return Math.max(0, switches - forcedSwitches);
    }

    private static Percentiles percentiles(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return Percentiles.EMPTY;
        }
        return new Percentiles(histogram.getTotalCount(), histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
    }

    /**
     * Returns the name of the lock.
     *
     * @return the lock's name
     */
    public String lockName() {
        return lockName;
    }

    /**
     * Returns the scheduler's description, such as {@code switchInterval(5ms)}.
     *
     * @return the scheduler's {@code toString()}
     */
    public String scheduler() {
        return scheduler;
    }

    /**
     * Returns how many times a thread took the lock from not holding it (reentrant holds not counted), including
     * every re-acquisition after a checkpoint or {@code allowThreads}.
     *
     * @return the number of acquisitions
     */
    public long acquisitions() {
        return acquisitions;
    }

    /**
     * Returns how many acquisitions found the lock taken and had to queue.
     *
     * @return the number of contended acquisitions
     */
    public long contendedAcquisitions() {
        return contendedAcquisitions;
    }

    /**
     * Returns how many times the lock went to a different thread than its previous holder.
     *
     * @return the number of thread switches
     */
    public long switches() {
        return switches;
    }

    /**
     * Returns how many times the scheduler handed the lock directly to a chosen waiter (rather than letting threads
     * race for it).
     *
     * @return the number of direct handoffs
     */
    public long handoffs() {
        return handoffs;
    }

    /**
     * Returns how many times a holder let go at a {@link GlobalInterpreterLock#checkpoint()} because a drop was
     * requested: CPython's forced switches. Everything else that changes hands ({@code release()},
     * {@code allowThreads}) is voluntary.
     *
     * @return the number of forced switches
     */
    public long forcedSwitches() {
        return forcedSwitches;
    }

    /**
     * Returns how many times the scheduler set the eval breaker (requested that the holder drop the lock).
     *
     * @return the number of drop requests
     */
    public long dropRequests() {
        return dropRequests;
    }

    /**
     * Returns how many times a thread terminated while holding the lock, so the lock recovered it (see
     * {@link GlobalInterpreterLock}, "Threads that die holding the lock").
     *
     * @return the number of recovered abandonments
     */
    public long abandonedByDeadThreads() {
        return abandonedByDeadThreads;
    }

    /**
     * Returns how many threads were queued when the snapshot was taken.
     *
     * @return the queue length
     */
    public int queueLength() {
        return queueLength;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(String.format(
                "GIL '%s' (%s)%n"
                        + "  acquisitions        %,d%n"
                        + "  contended           %,d%n"
                        + "  switches            %,d (voluntary %,d, forced %,d)%n"
                        + "  direct handoffs     %,d%n"
                        + "  drop requests       %,d%n"
                        + "  abandoned (dead)    %,d%n"
                        + "  queued now          %,d",
                lockName, scheduler, acquisitions, contendedAcquisitions, switches, voluntarySwitches(),
                forcedSwitches, handoffs, dropRequests, abandonedByDeadThreads, queueLength));
        if (timings != null) {
            out.append(String.format("%n  lock load           %.1f%%%n  fairness (Jain)     %.3f%n"
                    + "  drop-request lag    %s%n", 100 * lockLoad(), fairnessIndex(), dropRequestLatency()));
            out.append(String.format("  %-24s %12s %12s  %s%n", "thread", "held", "waited", "waits"));
            for (ThreadTimes thread : threads()) {
                out.append(String.format("  %-24s %12s %12s  %s%n", thread.threadName(),
                        Percentiles.human(thread.heldNanos()), Percentiles.human(thread.waitedNanos()),
                        thread.waits()));
            }
        }
        return out.toString().stripTrailing();
    }
}
