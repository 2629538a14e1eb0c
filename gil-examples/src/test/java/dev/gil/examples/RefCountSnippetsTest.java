package dev.gil.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.refcount.AbstractRefCounted;
import dev.gil.refcount.IllegalRefCountException;
import dev.gil.refcount.LeakDetector;
import dev.gil.refcount.PerObjectLocks;
import dev.gil.refcount.Rc;
import dev.gil.refcount.RefCountMode;
import dev.gil.refcount.RefCounted;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Javadoc snippets of {@code gil-refcount}, compiled and run; {@link JavadocSnippetsTest} checks that each snippet
 * is here line for line.
 */
@Timeout(60)
class RefCountSnippetsTest {

    /** Stands for native memory: addresses handed out and freed, each free recorded. */
    static final class Native {
        static final Set<Long> live = ConcurrentHashMap.newKeySet();
        private static long next = 1;

        static synchronized long malloc(int bytes) {
            long address = next;
            next += bytes;
            live.add(address);
            return address;
        }

        static void free(long address) {
            if (!live.remove(address)) {
                throw new AssertionError("double free of " + address);
            }
        }
    }

    final class NativeBuffer extends AbstractRefCounted {
        private final long address = Native.malloc(4096);

        NativeBuffer() {
            super(RefCountMode.ATOMIC);
        }

        protected void deallocate() {
            Native.free(address);
        }
    }

    /** Hands out buffers, as a pool of native buffers would. */
    final class BufferPool {
        RefCounted allocate() {
            return new NativeBuffer();
        }

        final List<ByteBuffer> recycled = new ArrayList<>();

        void recycle(ByteBuffer buffer) {
            recycled.add(buffer);
        }
    }

    @Test
    void aCountedNativeBufferIsFreedOnceWhenTheLastReferenceGoes() {
        BufferPool pool = new BufferPool();
        List<RefCounted> handedOver = new ArrayList<>();
        Consumer<RefCounted> consumer = handedOver::add;

        RefCounted buffer = pool.allocate();   // refCnt() == 1
        consumer.accept(buffer.retain());      // refCnt() == 2: the consumer releases its reference when done
        buffer.release();                      // ours: refCnt() == 1, freed when the consumer releases

        assertThat(buffer.refCnt()).isEqualTo(1);
        int liveBefore = Native.live.size();
        assertThat(handedOver.get(0).release()).as("the last release frees").isTrue();
        assertThat(Native.live).hasSize(liveBefore - 1);
        assertThatThrownBy(() -> {
            buffer.release();
            buffer.release();   // IllegalRefCountException: refCnt: 0, decrement: 1
        }).isInstanceOf(IllegalRefCountException.class).hasMessage("refCnt: 0, decrement: 1");
    }

    @Test
    void aReferenceMovedUnderBothObjectsMutexes() {
        AbstractRefCounted a = lockedCount();
        AbstractRefCounted b = lockedCount();
        // Move one reference from a to b, with nobody seeing both counts changed halfway.
        PerObjectLocks.withBoth(a, b, () -> {
            b.retain();
            return a.release();
        });
        assertThat(a.refCnt()).isZero();
        assertThat(b.refCnt()).isEqualTo(2);
    }

    /** An object whose count has a mutex of its own. */
    private static AbstractRefCounted lockedCount() {
        return new AbstractRefCounted(RefCountMode.PER_OBJECT_LOCK) {
            @Override
            protected void deallocate() {}
        };
    }

    /** A buffer that says when it was freed. */
    static final class Buffer {
        volatile boolean freed;
        final int[] cells = new int[16];

        void fill(int value) {
            java.util.Arrays.fill(cells, value);
        }

        void free() {
            freed = true;
        }
    }

    /** Closes each reference it is given on a thread of its own. */
    static final class Worker implements AutoCloseable {
        private final ExecutorService thread = Executors.newSingleThreadExecutor();

        void submit(Rc<Buffer> reference) {
            thread.execute(reference::close);
        }

        @Override
        public void close() throws InterruptedException {
            thread.shutdown();
            assertThat(thread.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anRcSharedWithAWorker() throws Exception {
        Buffer buffer = new Buffer();
        try (Worker worker = new Worker()) {
            try (Rc<Buffer> rc = Rc.of(buffer, Buffer::free, RefCountMode.ATOMIC)) {
                worker.submit(rc.retain());       // the worker closes its reference when done
                rc.get().fill(0);
            }                                     // ours is closed here; the buffer is freed after the worker's
        }
        assertThat(buffer.freed).isTrue();
    }

    @Test
    void recyclingThroughAnRc() {
        BufferPool pool = new BufferPool();
        ByteBuffer buffer = ByteBuffer.allocate(8);
        Rc<ByteBuffer> shared = Rc.of(buffer, pool::recycle, RefCountMode.ATOMIC);
        shared.close();
        assertThat(pool.recycled).containsExactly(buffer);
    }

    @Test
    void theLeakDetectorFailsTheTestThatDroppedAnObject() {
        class LeakCheckingTest {
            @AfterEach
            void noLeaks() {
                LeakDetector.assertNoLeaks();   // fails the test that dropped an unreleased object
            }
        }
        LeakDetector.Level before = LeakDetector.level();
        LeakDetector.setLevel(LeakDetector.Level.PARANOID);
        try {
            dropAnUnreleasedObject("dropped by the leak snippet's test");
            assertThatThrownBy(() -> new LeakCheckingTest().noLeaks()).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("dropped by the leak snippet's test");
        } finally {
            LeakDetector.setLevel(before);
        }
    }

    private static void dropAnUnreleasedObject(String hint) {
        Rc.of(new Buffer(), Buffer::free, RefCountMode.ATOMIC).touch(hint);
    }
}
