package dev.gil.core;

/**
 * A {@link GlobalInterpreterLock} as JMX sees it: {@code dev.gil:type=GlobalInterpreterLock,name=<name>}, registered
 * by {@link GlobalInterpreterLock#registerMBean()}. Every attribute is a fresh snapshot; timing attributes are zero
 * unless the lock records timings.
 *
 * <pre>{@code
 * try (GlobalInterpreterLock.Registration jmx = gil.registerMBean()) {
 *     // visible in JConsole / VisualVM / JMC under dev.gil
 * }
 * }</pre>
 */
public interface GilMXBean {
    /**
     * Returns the lock's name.
     *
     * @return the name
     */
    String getName();

    /**
     * Returns the scheduler.
     *
     * @return the scheduler's description
     */
    String getScheduler();

    /**
     * Returns the holder's thread name.
     *
     * @return the name, or an empty string when free
     */
    String getHolder();

    /**
     * Returns the number of queued threads.
     *
     * @return the queue length
     */
    int getQueueLength();

    /**
     * Returns {@link GilStats#acquisitions()}.
     *
     * @return the count
     */
    long getAcquisitions();

    /**
     * Returns {@link GilStats#contendedAcquisitions()}.
     *
     * @return the count
     */
    long getContendedAcquisitions();

    /**
     * Returns {@link GilStats#switches()}.
     *
     * @return the count
     */
    long getSwitches();

    /**
     * Returns {@link GilStats#forcedSwitches()}.
     *
     * @return the count
     */
    long getForcedSwitches();

    /**
     * Returns {@link GilStats#dropRequests()}.
     *
     * @return the count
     */
    long getDropRequests();

    /**
     * Returns {@link GilStats#lockLoad()}.
     *
     * @return a fraction from 0 to 1
     */
    double getLockLoad();

    /**
     * Returns {@link GilStats#fairnessIndex()}.
     *
     * @return Jain's index
     */
    double getFairnessIndex();
}
