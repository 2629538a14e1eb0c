package dev.gil.core.internal;

/**
 * What the lock's state machine tells its instruments (timings, a trace, JFR): one call per event, made where the
 * lock already holds the facts, with the clock readings it took anyway. The lock itself knows no instrument; it
 * talks to one {@link LockObservers}, which passes each event to the instruments that are on.
 *
 * <p><b>Threads.</b> Events marked "holder" are called by the thread that holds the lock, so an instrument may keep
 * per-holder state in plain fields (ownership transfer orders them). Events marked "guard" are called under the
 * lock's internal guard, which must not block: no logging, no class loading, no I/O. Every method defaults to
 * doing nothing.
 *
 * <p><b>Clock.</b> {@code now} and the other times are readings of the lock's ticker. An observer never reads the
 * clock itself; an observer that needs readings on the fast paths says so with {@link #readsClock()}, and the lock
 * then takes them (one reading per event, shared by all observers).
 */
public interface LockObserver {
    /** Returned by {@link #droppedAtCheckpoint} when nothing is left to record. */
    Runnable NOTHING_DEFERRED = () -> {};

    /** Passed as {@code waitedNanos} for an acquisition that did not wait. */
    long DID_NOT_WAIT = -1;

    /** An observer that records nothing. */
    LockObserver NONE = new LockObserver() {
        @Override
        public String toString() {
            return "LockObserver.NONE";
        }
    };

    /**
     * Tells whether this observer needs clock readings on the uncontended paths (an acquisition without a wait, a
     * release nobody waits for). When no observer does, those paths read no clock.
     *
     * @return {@code true} if {@code now} must be a real reading in {@link #acquired} and {@link #released}
     */
    default boolean readsClock() {
        return false;
    }

    /** Called outside the guard at the start of every slow path, before any guard event; see {@link JfrEvents}. */
    default void beforeSlowPath() {}

    /**
     * Holder: the current thread took the lock.
     *
     * @param now when; a real reading if {@link #readsClock()} or the thread waited
     * @param waitedNanos how long it waited, or {@link #DID_NOT_WAIT}
     * @param queueLength threads still waiting
     */
    default void acquired(long now, long waitedNanos, int queueLength) {}

    /**
     * Holder: the current thread is letting go of the lock entirely.
     *
     * @param now when; a real reading if {@link #readsClock()}
     * @param toBlock {@code true} when it lets go to block in {@code allowThreads} or a condition's {@code await}
     * @param queueLength threads waiting
     */
    default void released(long now, boolean toBlock, int queueLength) {}

    /**
     * Holder and guard: the current thread hands the lock over at a checkpoint because a drop was requested.
     *
     * @param now when, a real reading
     * @param queueLength threads waiting
     * @return what to record once the thread has queued again, off its successor's way; {@link #NOTHING_DEFERRED}
     *     if nothing
     */
    default Runnable droppedAtCheckpoint(long now, int queueLength) {
        return NOTHING_DEFERRED;
    }

    /**
     * Guard: the current thread queued for the lock.
     *
     * @param waitStart when it began to wait
     * @param queueLength threads waiting, itself included
     */
    default void queued(long waitStart, int queueLength) {}

    /**
     * Guard: ownership went directly from the current thread to {@code successor}.
     *
     * @param now when
     * @param successor the new holder
     * @param queueLength threads still waiting
     */
    default void handedOff(long now, Thread successor, int queueLength) {}

    /**
     * Guard: the scheduler asked the holder to drop the lock at its next checkpoint (CPython's eval breaker).
     *
     * @param now when; a real reading if {@link #readsClock()}
     * @param holder the thread asked
     * @param queueLength threads waiting
     */
    default void dropRequested(long now, Thread holder, int queueLength) {}
}
