package dev.gil.refcount;

class UnsynchronizedRefCountTest extends RefCountContract {
    @Override
    Counted create() {
        return new Counted(RefCountMode.UNSYNCHRONIZED);
    }

    @Override
    boolean threadSafe() {
        return false;
    }
}
