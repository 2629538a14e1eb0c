package dev.gil.core.internal;

import dev.gil.core.WaitingThread;

/**
 * A queued thread. Created by the waiting thread, then shared with whoever hands it the lock.
 *
 * <p>{@code granted} is the handoff: the releaser sets the lock's owner to this thread <em>before</em> it sets
 * {@code granted} (both volatile), so a thread that sees {@code granted} owns the lock, and nobody can barge in
 * between.
 */
public final class Waiter implements WaitingThread {
    private final Thread thread;
    private final long waitingSinceNanos;
    private final boolean returningFromAllowThreads;
    private volatile boolean granted;

    public Waiter(Thread thread, long waitingSinceNanos, boolean returningFromAllowThreads) {
        this.thread = thread;
        this.waitingSinceNanos = waitingSinceNanos;
        this.returningFromAllowThreads = returningFromAllowThreads;
    }

    @Override
    public Thread thread() {
        return thread;
    }

    @Override
    public long waitingSinceNanos() {
        return waitingSinceNanos;
    }

    @Override
    public boolean returningFromAllowThreads() {
        return returningFromAllowThreads;
    }

    public boolean isGranted() {
        return granted;
    }

    public void grant() {
        granted = true;
    }

    @Override
    public String toString() {
        return thread.getName() + (returningFromAllowThreads ? " (returning from allowThreads)" : "");
    }
}
