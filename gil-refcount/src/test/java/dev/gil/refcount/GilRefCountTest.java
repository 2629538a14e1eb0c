package dev.gil.refcount;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.core.GlobalInterpreterLock;
import org.junit.jupiter.api.Test;

class GilRefCountTest extends RefCountContract {
    private final GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("interpreter").build();

    @Override
    Counted create() {
        return new Counted(gil);
    }

    @Override
    void asCaller(Runnable body) {
        gil.acquire();
        try {
            body.run();
        } finally {
            gil.release();
        }
    }

    @Override
    void between() {
        gil.checkpoint();
    }

    @Test
    void aCallerThatDoesNotHoldTheLockIsRefused() {
        Counted[] object = new Counted[1];
        asCaller(() -> object[0] = create());
        assertThatThrownBy(object[0]::retain).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("retain()").hasMessageContaining("does not hold the lock 'interpreter'");
        assertThatThrownBy(object[0]::release).isInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    void theModeAloneBindsTheDefaultInterpreterLock() {
        Counted object = new Counted(RefCountMode.GIL);
        assertThatThrownBy(object::retain).hasMessageContaining("'refcount-interpreter'");
        GlobalInterpreterLock shared = RefCountMode.defaultInterpreterLock();
        shared.acquire();
        try {
            object.release();
        } finally {
            shared.release();
        }
    }
}
