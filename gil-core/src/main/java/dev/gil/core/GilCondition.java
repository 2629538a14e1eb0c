package dev.gil.core;

import java.util.ArrayDeque;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link Condition} of a {@link GlobalInterpreterLock}, from {@link GlobalInterpreterLock#newCondition()}:
 * Python's {@code threading.Condition} on the interpreter lock. Every method must be called holding the lock
 * ({@link IllegalMonitorStateException} otherwise); {@code await} lets go of every hold while it waits, as
 * {@code allowThreads} does, and takes them all back before it returns or throws; signals wake waiters in the order
 * they began to wait. Public so that code which releases the lock around blocking calls (the gil4j agent) can tell
 * this condition, which releases it itself, from the others.
 *
 * <pre>{@code
 * Condition ready = gil.newCondition();
 * }</pre>
 *
 * <p>Design notes. Every method must be called holding the lock, so the lock itself guards the queue of waiters: a
 * waiter queues before it lets go of its holds and leaves the queue (if no signal took it out) after it has taken them
 * back. A signal marks the first waiter {@code signalled} and unparks it; since both happen under the lock, a waiter
 * that reads its flag after re-acquiring sees every signal that chose it, so none is lost. Parking happens with the
 * lock released, exactly as in {@code allowThreads}.
 */
public final class GilCondition implements Condition {
    private final GlobalInterpreterLock gil;
    /** Guarded by {@link #gil}: only its holder adds, removes or signals. */
    private final ArrayDeque<Waiting> waiters = new ArrayDeque<>();

    GilCondition(GlobalInterpreterLock gil) {
        this.gil = gil;
    }

    private static final class Waiting {
        final Thread thread = Thread.currentThread();
        /** Written by the signalling holder, read by the waiter after it has taken the lock back. */
        volatile boolean signalled;
    }

    @Override
    public void await() throws InterruptedException {
        awaitNanos(true, false, 0, "await()");
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitNanos(false, false, 0, "awaitUninterruptibly()");
        } catch (InterruptedException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        return awaitNanos(true, true, nanosTimeout, "awaitNanos(long)");
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitNanos(true, true, unit.toNanos(time), "await(long, TimeUnit)") > 0;
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        long millis = Objects.requireNonNull(deadline, "deadline").getTime() - System.currentTimeMillis();
        return awaitNanos(true, true, TimeUnit.MILLISECONDS.toNanos(millis), "awaitUntil(Date)") > 0;
    }

    /**
     * @return for a timed wait, an estimate of the nanoseconds left (positive if signalled in time); otherwise 1
     */
    private long awaitNanos(boolean interruptible, boolean timed, long nanos, String operation)
            throws InterruptedException {
        Thread me = Thread.currentThread();
        checkHeld(operation);
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException("interrupted before Condition." + operation + " on the lock '"
                    + gil.name() + "'");
        }
        Waiting node = new Waiting();
        waiters.add(node);
        long deadline = timed ? System.nanoTime() + Math.min(Math.max(nanos, 0), Long.MAX_VALUE / 4) : 0;
        boolean interrupted = false;
        int saved = gil.releaseAllHolds(me, "Condition." + operation);
        try {
            while (!node.signalled) {
                if (timed) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        break;
                    }
                    LockSupport.parkNanos(this, remaining);
                } else {
                    LockSupport.park(this);
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (interruptible) {
                        break;
                    }
                }
            }
        } finally {
            gil.restoreHolds(me, saved);
        }
        boolean signalled = node.signalled;
        if (!signalled) {
            waiters.remove(node);
        }
        if (interrupted) {
            if (interruptible && !signalled) {
                throw new InterruptedException("interrupted in Condition." + operation + " on the lock '"
                        + gil.name() + "'");
            }
            me.interrupt(); // signalled first: the wake-up stands, the interrupt is kept for later
        }
        if (!timed) {
            return 1;
        }
        long left = deadline - System.nanoTime();
        return signalled ? Math.max(left, 1) : Math.min(left, 0);
    }

    @Override
    public void signal() {
        checkHeld("signal()");
        Waiting first = waiters.poll();
        if (first != null) {
            wake(first);
        }
    }

    @Override
    public void signalAll() {
        checkHeld("signalAll()");
        for (Waiting next; (next = waiters.poll()) != null; ) {
            wake(next);
        }
    }

    private static void wake(Waiting waiting) {
        waiting.signalled = true;
        LockSupport.unpark(waiting.thread);
    }

    private void checkHeld(String operation) {
        if (!gil.isHeldByCurrentThread()) {
            throw gil.notHolder("Condition." + operation, Thread.currentThread());
        }
    }

    @Override
    public String toString() {
        return "Condition of " + gil.name();
    }
}
