package dev.gil.core;

/**
 * A snapshot of a {@link GlobalInterpreterLock}'s counters since it was built.
 *
 * <p>Immutable and thread-safe. The counters are kept by whichever thread holds the lock at the time, so a snapshot
 * taken while other threads use the lock is a consistent-enough view, not an atomic one: each figure is exact, but
 * two figures may be a few events apart.
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

    GilStats(String lockName, String scheduler, long acquisitions, long contendedAcquisitions, long switches,
            long handoffs, long forcedSwitches, long dropRequests, long abandonedByDeadThreads, int queueLength) {
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
        return String.format(
                "GIL '%s' (%s)%n"
                        + "  acquisitions        %,d%n"
                        + "  contended           %,d%n"
                        + "  switches            %,d%n"
                        + "  direct handoffs     %,d%n"
                        + "  forced switches     %,d%n"
                        + "  drop requests       %,d%n"
                        + "  abandoned (dead)    %,d%n"
                        + "  queued now          %,d",
                lockName, scheduler, acquisitions, contendedAcquisitions, switches, handoffs, forcedSwitches,
                dropRequests, abandonedByDeadThreads, queueLength);
    }
}
