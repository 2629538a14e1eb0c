package dev.gil.refcount.internal;

import dev.gil.core.GlobalInterpreterLock;

/**
 * CPython's {@code ob_refcnt}: a plain field, made safe by one interpreter lock that every caller must hold. The lock's
 * release-to-acquire edge orders the plain accesses between threads.
 */
public final class GilCount extends RefCount {
    private final GlobalInterpreterLock gil;
    /** Guarded by {@code gil}. */
    private int value = 1;

    public GilCount(GlobalInterpreterLock gil) {
        this.gil = gil;
    }

    public GlobalInterpreterLock gil() {
        return gil;
    }

    @Override
    public int get() {
        checkHeld("refCnt()");
        return value;
    }

    @Override
    public int peek() {
        return value; // racy without the lock, and only for display
    }

    @Override
    public void retain(int increment) {
        checkHeld("retain()");
        checkRetain(value, increment);
        value += increment;
    }

    @Override
    public boolean release(int decrement) {
        checkHeld("release()");
        checkRelease(value, decrement);
        value -= decrement;
        return value == 0;
    }

    private void checkHeld(String operation) {
        if (!gil.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException(operation + " of a GIL-mode reference count called by thread '"
                    + Thread.currentThread().getName() + "', which does not hold the lock '" + gil.name() + "'");
        }
    }
}
