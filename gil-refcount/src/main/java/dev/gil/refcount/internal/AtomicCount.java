package dev.gil.refcount.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A compare-and-set loop on one int (Netty's {@code AbstractReferenceCountedByteBuf} without its even/odd trick):
 * correct from any thread, lock-free, one atomic instruction per change when uncontended. The loop, rather than
 * {@code getAndAdd}, is what lets a release refuse to go below zero without a window where others see a wrong count.
 */
public final class AtomicCount extends RefCount {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(AtomicCount.class, "value", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int value = 1;

    @Override
    public int get() {
        return value;
    }

    @Override
    public void retain(int increment) {
        for (;;) {
            int count = value;
            checkRetain(count, increment);
            if (VALUE.weakCompareAndSet(this, count, count + increment)) {
                return;
            }
        }
    }

    @Override
    public boolean release(int decrement) {
        for (;;) {
            int count = value;
            checkRelease(count, decrement);
            if (VALUE.weakCompareAndSet(this, count, count - decrement)) {
                return count == decrement;
            }
        }
    }
}
