package dev.gil.refcount;

import dev.gil.core.GlobalInterpreterLock;
import java.util.concurrent.atomic.AtomicInteger;

/** A test object that counts its deallocations. */
final class Counted extends AbstractRefCounted {
    final AtomicInteger deallocations = new AtomicInteger();

    Counted(RefCountMode mode) {
        super(mode);
    }

    Counted(GlobalInterpreterLock gil) {
        super(gil);
    }

    @Override
    protected void deallocate() {
        deallocations.incrementAndGet();
    }
}
