package dev.gil.refcount;

class BiasedRefCountTest extends RefCountContract {
    @Override
    Counted create() {
        return new Counted(RefCountMode.BIASED);
    }

    @Override
    void afterOthersReleasedOurReferences() {
        new Counted(RefCountMode.BIASED).release(); // the creator's next biased object merges its queue
    }
}
