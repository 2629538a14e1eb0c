package dev.gil.multiprocess.internal.queue;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The items of a process queue, kept serialized in the process that created it. An item handed to another process
 * stays <i>reserved</i> (it still takes room) until that process acknowledges it; if that process goes away first,
 * the item returns to the head of the queue. So no item is lost to a consumer that died or was interrupted mid-get.
 */
public final class QueueStore {
    /** How often a wait on behalf of another process checks that the process is still there. */
    private static final long PEER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Guarded by {@code lock}. */
    private final ArrayDeque<byte[]> items = new ArrayDeque<>();
    /** Items handed out and not yet acknowledged. Guarded by {@code lock}. */
    private int reserved;
    /** Guarded by {@code lock}. */
    private boolean closed;

    public QueueStore(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Adds an item, waiting for room up to {@code timeoutNanos} (negative: forever).
     *
     * @param peerGone tells whether the process this is done for went away (then the wait ends unsuccessfully);
     *     {@code null} for this process
     * @return {@code false} if there was no room in time, or the peer went away
     * @throws IllegalStateException if the queue is closed
     */
    public boolean put(byte[] item, long timeoutNanos, BooleanSupplier peerGone) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lockInterruptibly();
        try {
            while (items.size() + reserved >= capacity) {
                checkOpen();
                if (!await(notFull, deadline, timeoutNanos, peerGone)) {
                    return false;
                }
            }
            checkOpen();
            items.addLast(item);
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the head item, waiting up to {@code timeoutNanos} (negative: forever). With {@code reserve}, the item
     * keeps its room until {@link #acknowledge()} or {@link #giveBack(byte[])}.
     *
     * @return the item, or {@code null} if none came in time or the peer went away
     * @throws IllegalStateException if the queue is closed
     */
    public byte[] take(long timeoutNanos, boolean reserve, BooleanSupplier peerGone) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lockInterruptibly();
        try {
            while (items.isEmpty()) {
                checkOpen();
                if (!await(notEmpty, deadline, timeoutNanos, peerGone)) {
                    return null;
                }
            }
            byte[] item = items.pollFirst();
            if (reserve) {
                reserved++;
            } else {
                notFull.signal();
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** The process a reserved item was handed to has it: its room is free. */
    public void acknowledge() {
        lock.lock();
        try {
            reserved--;
            notFull.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The process a reserved item was handed to never got it: it goes back to the head. */
    public void giveBack(byte[] item) {
        lock.lock();
        try {
            reserved--;
            items.addFirst(item);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The number of items waiting (not counting those handed out and unacknowledged). */
    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter; further operations throw. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the queue is closed");
        }
    }

    /** Guarded. Waits once; {@code false} when the time is up or the peer went away. */
    private static boolean await(Condition condition, long deadline, long timeoutNanos, BooleanSupplier peerGone)
            throws InterruptedException {
        if (peerGone != null && peerGone.getAsBoolean()) {
            return false;
        }
        long slice = peerGone != null ? PEER_CHECK_NANOS : Long.MAX_VALUE;
        if (timeoutNanos < 0) {
            if (slice == Long.MAX_VALUE) {
                condition.await();
            } else {
                condition.awaitNanos(slice);
            }
            return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        condition.awaitNanos(Math.min(left, slice));
        return true;
    }
}
