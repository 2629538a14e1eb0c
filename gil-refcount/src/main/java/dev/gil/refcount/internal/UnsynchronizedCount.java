package dev.gil.refcount.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A plain read, then a plain write: correct on one thread or under a lock the caller holds, and racy otherwise,
 * which is the point of the demonstration. Opaque accesses keep the JIT from merging or hoisting them, so the race
 * shows in a loop instead of being optimised into one store.
 */
public final class UnsynchronizedCount extends RefCount {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(UnsynchronizedCount.class, "value", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through VALUE
    private int value = 1;

    @Override
    public int get() {
        return (int) VALUE.getOpaque(this);
    }

    @Override
    public void retain(int increment) {
        int count = (int) VALUE.getOpaque(this);
        checkRetain(count, increment);
        VALUE.setOpaque(this, count + increment);
    }

    @Override
    public boolean release(int decrement) {
        int count = (int) VALUE.getOpaque(this);
        checkRelease(count, decrement);
        VALUE.setOpaque(this, count - decrement);
        return count == decrement;
    }
}
