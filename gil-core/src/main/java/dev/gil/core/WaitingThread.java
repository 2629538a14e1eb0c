package dev.gil.core;

/**
 * A thread queued for a {@link GlobalInterpreterLock}, as a {@link HandoffScheduler} sees it.
 *
 * <p>Instances are created and owned by the lock. They are only valid inside a scheduler callback; a scheduler must
 * not keep them, and must compare them by identity.
 *
 * <pre>{@code
 * WaitingThread longest = context.waiters().get(0);
 * long waited = context.nanoTime() - longest.waitingSinceNanos();
 * }</pre>
 */
public interface WaitingThread {

    /**
     * Returns the waiting thread.
     *
     * @return the thread that wants the lock
     */
    Thread thread();

    /**
     * Returns when this thread started to wait, on the lock's ticker.
     *
     * @return the ticker reading when the thread queued
     */
    long waitingSinceNanos();

    /**
     * Tells whether this thread wants the lock back after blocking work in
     * {@link GlobalInterpreterLock#allowThreads(BlockingCallable)}: an I/O-bound thread in Beazley's terms.
     *
     * @return {@code true} for a thread returning from {@code allowThreads}
     */
    boolean returningFromAllowThreads();
}
