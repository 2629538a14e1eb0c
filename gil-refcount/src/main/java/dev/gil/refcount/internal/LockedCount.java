package dev.gil.refcount.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The seed's alternative to the GIL: a mutex per object. Correct from any thread; each change pays a lock and an
 * unlock, and code that holds two such mutexes at once can deadlock unless it takes them in one global order, for
 * which each count carries a stable {@link #order()}.
 */
public final class LockedCount extends RefCount {
    private static final AtomicLong nextOrder = new AtomicLong();

    private final ReentrantLock mutex = new ReentrantLock();
    private final long order = nextOrder.incrementAndGet();
    /** Guarded by {@code mutex}. */
    private int value = 1;

    public ReentrantLock mutex() {
        return mutex;
    }

    /** A process-wide, never-reused number: lock the lower one first. */
    public long order() {
        return order;
    }

    @Override
    public int get() {
        mutex.lock();
        try {
            return value;
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public void retain(int increment) {
        mutex.lock();
        try {
            checkRetain(value, increment);
            value += increment;
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public boolean release(int decrement) {
        mutex.lock();
        try {
            checkRelease(value, decrement);
            value -= decrement;
            return value == 0;
        } finally {
            mutex.unlock();
        }
    }
}
