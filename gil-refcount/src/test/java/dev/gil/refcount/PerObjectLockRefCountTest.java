package dev.gil.refcount;

class PerObjectLockRefCountTest extends RefCountContract {
    @Override
    Counted create() {
        return new Counted(RefCountMode.PER_OBJECT_LOCK);
    }
}
