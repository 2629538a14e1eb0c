package dev.gil.refcount;

class AtomicRefCountTest extends RefCountContract {
    @Override
    Counted create() {
        return new Counted(RefCountMode.ATOMIC);
    }
}
