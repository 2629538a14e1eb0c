package dev.gil.refcount.internal;

import dev.gil.refcount.IllegalRefCountException;

/**
 * How one object's count is kept: one subclass per mode. Arguments are already checked positive by the caller.
 * Implementations throw {@link IllegalRefCountException} and change nothing when a change is illegal.
 */
public abstract class RefCount {
    /** The largest count any mode allows. */
    public static final int MAX = Integer.MAX_VALUE;

    /** The count now: exact in the modes that synchronize, a recent value otherwise. */
    public abstract int get();

    /**
     * The count for a log line or a debugger: never throws, even where {@link #get()} would (a {@code GIL} count read
     * without the lock); a recent value where the mode does not synchronize the read.
     */
    public int peek() {
        return get();
    }

    /** Adds {@code increment}. Throws if the count is zero (freed) or would overflow. */
    public abstract void retain(int increment);

    /** Subtracts {@code decrement}; returns {@code true} if this call took the count to zero. */
    public abstract boolean release(int decrement);

    static void checkRetain(int count, int increment) {
        if (count <= 0 || count > MAX - increment) {
            throw new IllegalRefCountException(count, increment);
        }
    }

    static void checkRelease(int count, int decrement) {
        if (count < decrement) {
            throw new IllegalRefCountException(count, -decrement);
        }
    }
}
