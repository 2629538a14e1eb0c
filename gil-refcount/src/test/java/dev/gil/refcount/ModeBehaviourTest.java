package dev.gil.refcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import dev.gil.refcount.internal.BiasedCount;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What sets the modes apart: the race without a lock, biased merging, immortality. */
class ModeBehaviourTest {

    /**
     * Two threads each retain {@code perThread} times: the count must end at {@code 1 + 2 * perThread}. Retains only,
     * so every lost update shows (a lost retain and a lost release would cancel out).
     */
    private static int race(GlobalInterpreterLock gilOrNull, int perThread) throws Exception {
        Counted object = new Counted(RefCountMode.UNSYNCHRONIZED);
        // A spinning start: a thread parked on a barrier can wake later than the other's whole loop takes, and then
        // the two never overlap and nothing can race.
        AtomicInteger arrived = new AtomicInteger();
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            threads[t] = new Thread(() -> {
                arrived.incrementAndGet();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (arrived.get() < 2 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                if (gilOrNull != null) {
                    gilOrNull.acquire();
                }
                try {
                    for (int i = 0; i < perThread; i++) {
                        object.retain();
                        if (gilOrNull != null && i % 16 == 0) {
                            gilOrNull.checkpoint();
                        }
                    }
                } finally {
                    if (gilOrNull != null) {
                        gilOrNull.release();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(1));
        }
        return object.refCnt();
    }

    /**
     * Two threads retain one UNSYNCHRONIZED count without a lock: updates may be lost, never invented. Whether any are
     * lost on a given run depends on the machine's scheduling, so this test does not demand a loss (a busy CI machine
     * may run the two threads one after the other); how many are lost is measured by gil-benchmarks' "race" rows.
     */
    @Test
    void anUnsynchronizedCountRacedWithoutAGilNeverGainsUpdates() throws Exception {
        int perThread = 1_000_000;
        for (int attempt = 0; attempt < 3; attempt++) {
            int count = race(null, perThread);
            assertThat(count).isBetween(2, 1 + 2 * perThread);
        }
    }

    @Test
    void theSameCountIsExactUnderAGil() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder()
                .scheduler(HandoffScheduler.switchInterval(Duration.ofNanos(50_000))).build();
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThat(race(gil, 500_000)).isEqualTo(1 + 2 * 500_000);
        }
    }

    @Test
    void immortalObjectsNeverChangeAndAreNeverFreed() {
        Counted object = new Counted(RefCountMode.IMMORTAL);
        object.retain(Integer.MAX_VALUE);
        for (int i = 0; i < 10; i++) {
            assertThat(object.release()).isFalse();
        }
        assertThat(object.release(Integer.MAX_VALUE)).isFalse();
        assertThat(object.refCnt()).isEqualTo(Integer.MAX_VALUE);
        assertThat(object.deallocations).hasValue(0);
    }

    @Test
    void biasedCountsMergeWhenTheOwnersShareReachesZero() throws Exception {
        Counted object = new Counted(RefCountMode.BIASED);
        Thread other = new Thread(() -> object.retain(2), "other");
        other.start();
        other.join();
        assertThat(object.refCnt()).isEqualTo(3);
        assertThat(object.release()).as("the owner's only local reference; the other thread still has two")
                .isFalse();
        assertThat(object.refCnt()).isEqualTo(2);
        AtomicReference<Boolean> freedByOther = new AtomicReference<>();
        Thread releaser = new Thread(() -> freedByOther.set(object.release(2)), "releaser");
        releaser.start();
        releaser.join();
        assertThat(freedByOther.get()).isTrue();
        assertThat(object.deallocations).hasValue(1);
    }

    @Test
    void aBiasedObjectWhoseOwnerDiedIsFreedByTheLastOtherRelease() throws Exception {
        AtomicReference<Counted> handedOver = new AtomicReference<>();
        Thread owner = new Thread(() -> handedOver.set(new Counted(RefCountMode.BIASED)), "owner");
        owner.start();
        owner.join();
        Counted object = handedOver.get(); // the owner's reference now belongs to us
        object.retain();
        assertThat(object.release()).isFalse();
        assertThat(object.release()).as("the owner is dead: merge in its place and free").isTrue();
        assertThat(object.deallocations).hasValue(1);
        assertThatThrownBy(object::release).isInstanceOf(IllegalRefCountException.class);
    }

    @Test
    void referencesHandedOverAndReleasedElsewhereFreeTheObjectAtTheOwnersNextOperation() throws Exception {
        Counted object = new Counted(RefCountMode.BIASED);
        Thread receiver = new Thread(object::release, "receiver"); // our only reference, handed over
        receiver.start();
        receiver.join();
        assertThat(object.deallocations).as("the owner has not counted anything since").hasValue(0);
        new Counted(RefCountMode.BIASED).release();
        assertThat(object.deallocations).hasValue(1);
        assertThat(object.refCnt()).isZero();
    }

    @Test
    void unbiasHandsTheCountOverAndOnlyTheOwnerMayCallIt() throws Exception {
        BiasedCount count = new BiasedCount(() -> { });
        count.retain(1);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Thread stranger = new Thread(() -> {
            try {
                count.unbias();
            } catch (IllegalStateException e) {
                refused.set(e);
            }
        }, "stranger");
        stranger.start();
        stranger.join();
        assertThat(refused.get()).hasMessageContaining("biased to '" + Thread.currentThread().getName() + "'");
        count.unbias();
        assertThat(count.owner()).isNull();
        assertThat(count.get()).isEqualTo(2);
        Thread releaser = new Thread(() -> count.release(2), "releaser");
        releaser.start();
        releaser.join();
        assertThat(count.get()).isZero();
    }

    @Test
    void aBiasedOwnerCountsWithoutTouchingTheSharedWord() throws Exception {
        BiasedCount count = new BiasedCount(() -> { });
        for (int i = 0; i < 1_000; i++) {
            count.retain(1);
        }
        assertThat(count.owner()).isSameAs(Thread.currentThread());
        assertThat(count.get()).isEqualTo(1_001);
        assertThat(count.release(1_001)).isTrue();
        assertThat(count.owner()).as("merged: no longer biased").isNull();
    }
}
