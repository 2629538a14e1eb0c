package dev.gil.core;

import java.util.List;

/**
 * What a {@link HandoffScheduler} may read about its lock while it decides.
 *
 * <p>Only valid inside a scheduler callback, which the lock runs under its internal guard: the view is consistent
 * for the duration of the call and must not be kept.
 *
 * <pre>{@code
 * boolean starving = !context.waiters().isEmpty()
 *         && context.nanoTime() - context.waiters().get(0).waitingSinceNanos() > boundNanos;
 * }</pre>
 */
public interface SchedulingContext {

    /**
     * Returns the current time on the lock's ticker (see {@link GlobalInterpreterLock.Builder#ticker}).
     *
     * @return the ticker reading, in nanoseconds
     */
    long nanoTime();

    /**
     * Returns the queued threads in arrival order, the longest waiter first.
     *
     * @return an unmodifiable view; empty when nobody waits
     */
    List<WaitingThread> waiters();

    /**
     * Returns when the current holder took the lock, on the lock's ticker. CPython's switch interval restarts at
     * every change of holder, and so does {@link HandoffScheduler#switchInterval}'s.
     *
     * @return the ticker reading at the last change of holder
     */
    long holderSinceNanos();
}
