package dev.gil.refcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.core.GlobalInterpreterLock;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Misuse and unlucky timing on purpose: owners that die with work queued to them, releases too many from the wrong
 * thread, a count printed from a thread without the lock. Each is reported where it happened, and no object is left
 * unfreed or freed twice.
 */
@Timeout(60)
class FaultInjectionTest {

    @Test
    void anObjectReleasedForTheLastTimeByAnotherThreadIsFreedWhenItsOwnerEnds() throws Exception {
        AtomicReference<Counted> handedOver = new AtomicReference<>();
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        Thread owner = new Thread(() -> {
            handedOver.set(new Counted(RefCountMode.BIASED));
            try {
                released.await(); // alive while the other thread releases, then ends without counting again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "owner");
        owner.start();
        while (handedOver.get() == null) {
            Thread.onSpinWait();
        }
        Counted object = handedOver.get();
        assertThat(object.release()).as("queued to its live owner").isFalse();
        released.countDown();
        owner.join();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (object.deallocations.get() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the dead owner's queue is merged in its place
        }
        assertThat(object.deallocations).hasValue(1);
        assertThat(object.refCnt()).isZero();
    }

    @Test
    void aReleaseTooManyByAnotherThreadFreesThatObjectOnceAndLetsTheOwnerMergeTheRest() throws Exception {
        Counted misused = new Counted(RefCountMode.BIASED);
        Counted handed = new Counted(RefCountMode.BIASED);
        Thread other = new Thread(() -> {
            misused.release();
            misused.release(); // one too many: the owner's count is unknown here, so it is found at the merge
            handed.release();
        }, "other");
        other.start();
        other.join();
        Counted next = new Counted(RefCountMode.BIASED); // the owner's next count merges its queue: no exception
        assertThat(misused.deallocations).hasValue(1);
        assertThat(handed.deallocations).as("not kept by the misused object ahead of it").hasValue(1);
        assertThat(misused.refCnt()).isZero();
        assertThatThrownBy(misused::retain).isInstanceOf(IllegalRefCountException.class);
        assertThat(next.release()).isTrue();
    }

    @Test
    void toStringWorksWithoutTheLockForLogsAndDebuggers() {
        Counted object = new Counted(GlobalInterpreterLock.builder().name("interpreter").build()); // not held
        assertThat(object.toString()).contains("refCnt=1", "GIL");
        assertThatThrownBy(object::refCnt).as("refCnt() itself still checks").isInstanceOf(
                IllegalMonitorStateException.class);
    }
}
