package dev.gil.refcount.internal;

/**
 * PEP 683's immortal objects: the count is pinned at its maximum, changes are ignored, and the object is never
 * deallocated. No writes at all, so no cache line ever bounces between cores.
 */
public final class ImmortalCount extends RefCount {
    public static final ImmortalCount INSTANCE = new ImmortalCount();

    private ImmortalCount() {}

    @Override
    public int get() {
        return MAX;
    }

    @Override
    public void retain(int increment) {
        // Saturated: an immortal count neither overflows nor changes.
    }

    @Override
    public boolean release(int decrement) {
        return false;
    }
}
