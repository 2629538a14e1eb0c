package dev.gil.multiprocess.internal.pool;

import static com.google.common.base.Preconditions.checkState;

import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A process pool's lifecycle: running, closing (no new calls; workers stop once the queue is empty), closed (every
 * worker gone); terminated or broken on the way. Guarded by the {@link Dispatcher}'s lock: the methods marked
 * "guarded" are called holding it; the others take it.
 */
final class PoolState {
    private enum Phase { RUNNING, CLOSING, CLOSED }

    private final String poolName;
    private final ReentrantLock lock;
    private final Condition allGone;
    /** Written holding the lock; read without it by {@link #isShutdown()} and {@link #isClosed()}. */
    private volatile Phase phase = Phase.RUNNING;
    private boolean terminated;
    /** Why the pool has no workers and cannot start any, or null. */
    private RuntimeException broken;
    /** Workers being started. */
    private int workersStarting;

    PoolState(String poolName, ReentrantLock lock) {
        this.poolName = poolName;
        this.lock = lock;
        this.allGone = lock.newCondition();
    }

    /** Guarded. Why a chunk submitted now must fail at once, or {@code null} if it may be queued. */
    RuntimeException refusal() {
        if (terminated) {
            return new CancellationException(poolName + " was terminated");
        }
        if (broken != null) {
            return new IllegalStateException(poolName + " has no workers and could not start any", broken);
        }
        if (phase != Phase.RUNNING) { // an imap cancelled by close() while it read: nobody waits for it
            return new CancellationException(poolName + " was closed");
        }
        return null;
    }

    /** Guarded. Throws {@link IllegalStateException} naming why no new call is taken. */
    void checkAccepting(String call) {
        checkState(phase == Phase.RUNNING, "%s() called on %s after %s", call, poolName,
                terminated ? "terminate()" : "close()");
        if (broken != null) {
            throw new IllegalStateException(poolName + " has no workers and could not start any: "
                    + broken.getMessage(), broken);
        }
    }

    /** Guarded. */
    boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    /** Guarded. Whether a worker with nothing to do should stop now. */
    boolean isClosing() {
        return phase == Phase.CLOSING;
    }

    /** Guarded. */
    boolean isTerminated() {
        return terminated;
    }

    /** Guarded. Moves to closing; returns {@code false} if it was not running. */
    boolean beginClose() {
        if (phase != Phase.RUNNING) {
            return false;
        }
        phase = Phase.CLOSING;
        return true;
    }

    /** Guarded. Marks it terminated; returns {@code false} if it already was. */
    boolean terminate() {
        if (terminated) {
            return false;
        }
        terminated = true;
        if (phase == Phase.RUNNING) {
            phase = Phase.CLOSING;
        }
        return true;
    }

    /** Guarded. */
    void breakBecause(RuntimeException failure) {
        broken = failure;
    }

    /** Guarded. A worker is about to be started; {@code false} if the pool was terminated. */
    boolean startingWorker() {
        if (terminated) {
            return false;
        }
        workersStarting++;
        return true;
    }

    /** Guarded. */
    void workerStartEnded() {
        workersStarting--;
    }

    /** Guarded. Closes once no worker is left or starting and no work waits; returns whether it is closed. */
    boolean closeIfAllGone(boolean noWorkers, boolean nothingPending) {
        if (phase == Phase.CLOSING && noWorkers && workersStarting == 0
                && (terminated || broken != null || nothingPending)) {
            phase = Phase.CLOSED;
            allGone.signalAll();
        }
        return phase == Phase.CLOSED;
    }

    /** Waits until closed, at most {@code nanos} (for ever if {@code Long.MAX_VALUE}); returns whether it is. */
    boolean awaitClosed(long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (phase != Phase.CLOSED) {
                if (nanos == Long.MAX_VALUE) {
                    allGone.await();
                } else if (nanos <= 0) {
                    return false;
                } else {
                    nanos = allGone.awaitNanos(nanos);
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean isShutdown() {
        return phase != Phase.RUNNING;
    }

    boolean isClosed() {
        return phase == Phase.CLOSED;
    }

    @Override
    public String toString() {
        return terminated ? "TERMINATED" : phase.toString();
    }
}
