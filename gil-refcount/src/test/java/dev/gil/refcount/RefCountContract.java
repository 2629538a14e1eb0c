package dev.gil.refcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What every counting mode must do. Subclassed once per {@link RefCountMode} that frees objects. */
abstract class RefCountContract {
    static final int THREADS = 4;
    static final int PAIRS = 50_000;

    abstract Counted create();

    /** Runs {@code body} as a legitimate caller: under the GIL for GIL mode, directly otherwise. */
    void asCaller(Runnable body) {
        body.run();
    }

    /** Between two operations of a storm: a GIL checkpoint for GIL mode, nothing otherwise. */
    void between() {}

    /**
     * Called on the creating thread after other threads released the references it handed them. BIASED frees such
     * objects at the creator's next counting operation (its documented semantics); the other modes need nothing.
     */
    void afterOthersReleasedOurReferences() {}

    /** Whether many threads may share one object (all modes but UNSYNCHRONIZED). */
    boolean threadSafe() {
        return true;
    }

    @Test
    void countsAndDeallocatesExactlyOnceAtZero() {
        asCaller(() -> {
            Counted object = create();
            assertThat(object.refCnt()).isEqualTo(1);
            assertThat(object.retain()).isSameAs(object);
            object.retain(3);
            assertThat(object.refCnt()).isEqualTo(5);
            assertThat(object.release(2)).isFalse();
            assertThat(object.release()).isFalse();
            assertThat(object.refCnt()).isEqualTo(2);
            assertThat(object.deallocations).hasValue(0);
            assertThat(object.release(2)).isTrue();
            assertThat(object.deallocations).hasValue(1);
            assertThat(object.refCnt()).isZero();
        });
    }

    @Test
    void doubleReleaseThrowsAndNeverDeallocatesTwice() {
        asCaller(() -> {
            Counted object = create();
            object.release();
            assertThatThrownBy(object::release).isInstanceOf(IllegalRefCountException.class)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("refCnt: 0")
                    .hasMessageContaining("decrement: 1");
            assertThat(object.deallocations).hasValue(1);
        });
    }

    @Test
    void retainAfterFreeThrowsAndDoesNotResurrect() {
        asCaller(() -> {
            Counted object = create();
            object.release();
            assertThatThrownBy(object::retain).isInstanceOf(IllegalRefCountException.class)
                    .hasMessageContaining("increment: 1");
            assertThat(object.refCnt()).isZero();
            assertThatThrownBy(() -> object.ensureAccessible("read")).isInstanceOf(IllegalRefCountException.class)
                    .hasMessageContaining("after the object was freed");
        });
    }

    @Test
    void underflowAndOverflowThrowAndChangeNothing() {
        asCaller(() -> {
            Counted object = create();
            object.retain();
            assertThatThrownBy(() -> object.release(3)).isInstanceOf(IllegalRefCountException.class)
                    .hasMessageContaining("decrement: 3");
            assertThat(object.refCnt()).isEqualTo(2);
            assertThatThrownBy(() -> object.retain(Integer.MAX_VALUE)).isInstanceOf(IllegalRefCountException.class)
                    .hasMessageContaining("increment: " + Integer.MAX_VALUE);
            assertThat(object.refCnt()).isEqualTo(2);
            assertThat(object.deallocations).hasValue(0);
        });
    }

    @Test
    void badArgumentsAreRefusedWithTheValue() {
        asCaller(() -> {
            Counted object = create();
            assertThatThrownBy(() -> object.retain(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("increment must be positive but was 0");
            assertThatThrownBy(() -> object.release(-2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("decrement must be positive but was -2");
            object.release();
        });
    }

    @Test
    void manyThreadsRetainAndReleaseToTheExactCountWithOneDeallocation() throws Exception {
        if (!threadSafe()) {
            return; // UNSYNCHRONIZED: its own test shows the race
        }
        for (int round = 0; round < 3; round++) {
            AtomicReference<Counted> shared = new AtomicReference<>();
            asCaller(() -> shared.set(create()));
            Counted object = shared.get();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        start.await(10, TimeUnit.SECONDS);
                        asCaller(() -> {
                            for (int i = 0; i < PAIRS; i++) {
                                object.retain();
                                between();
                                object.release();
                                between();
                            }
                        });
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "storm-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join(TimeUnit.MINUTES.toMillis(1));
                assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
            }
            assertThat(failure.get()).isNull();
            asCaller(() -> {
                assertThat(object.refCnt()).isEqualTo(1);
                assertThat(object.deallocations).hasValue(0);
                assertThat(object.release()).isTrue();
            });
            assertThat(object.deallocations).hasValue(1);
        }
    }

    @Test
    void lastReleaseRacingFromManyThreadsDeallocatesOnce() throws Exception {
        if (!threadSafe()) {
            return;
        }
        for (int round = 0; round < 200; round++) {
            AtomicReference<Counted> shared = new AtomicReference<>();
            asCaller(() -> {
                shared.set(create());
                shared.get().retain(THREADS - 1); // one reference per thread
            });
            Counted object = shared.get();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        start.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    asCaller(object::release);
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join(TimeUnit.MINUTES.toMillis(1));
            }
            afterOthersReleasedOurReferences();
            assertThat(object.deallocations).as("round %d", round).hasValue(1);
        }
    }
}
