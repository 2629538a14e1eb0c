package dev.gil.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gil.refcount.AbstractRefCounted;
import dev.gil.refcount.RefCountMode;
import dev.gil.refcount.internal.BiasedCount;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The last two references released at once, from two threads: exactly one release frees the object, and the
 * deallocating thread sees what the other wrote before its release. r1 = deallocations, r2 = the payload seen by
 * {@code deallocate()}.
 */
public final class RefCountDeallocationTest {
    private RefCountDeallocationTest() {}

    /** A count of two, with a payload each releaser writes before releasing. */
    public static class Shared extends AbstractRefCounted {
        final AtomicInteger deallocations = new AtomicInteger();
        int payloadA;
        int payloadB;
        volatile int seenByDeallocate = -1;

        Shared(RefCountMode mode) {
            super(mode);
            retain();
        }

        @Override
        protected void deallocate() {
            deallocations.incrementAndGet();
            seenByDeallocate = payloadA + payloadB;
        }
    }

    @JCStressTest
    @Description("ATOMIC: two threads release the last two references")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "freed once, by a thread that saw both writes")
    @Outcome(id = {"0, .*", "2, .*"}, expect = FORBIDDEN, desc = "never freed, or freed twice")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "freed before seeing the other releaser's write")
    @State
    public static class Atomic extends Shared {
        public Atomic() {
            super(RefCountMode.ATOMIC);
        }

        @Actor
        public void first() {
            payloadA = 1;
            release();
        }

        @Actor
        public void second() {
            payloadB = 1;
            release();
        }

        @Arbiter
        public void result(II_Result r) {
            r.r1 = deallocations.get();
            r.r2 = seenByDeallocate;
        }
    }

    /**
     * BIASED after a hand-over: the creator ends the bias, and the last two references are released by two other
     * threads at once. (jcstress creates a state on a thread that is not one of the actors, so the creator cannot be
     * an actor here; the owner-versus-others paths are covered by gil-refcount's unit tests.)
     */
    @JCStressTest
    @Description("BIASED, handed over: two threads release the last two references")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "freed once, by a thread that saw both writes")
    @Outcome(id = {"0, .*", "2, .*"}, expect = FORBIDDEN, desc = "never freed, or freed twice")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "freed before seeing the other releaser's write")
    @State
    public static class Biased {
        final AtomicInteger deallocations = new AtomicInteger();
        final BiasedCount count = new BiasedCount(() -> { });
        int payloadA;
        int payloadB;
        volatile int seenByDeallocate = -1;

        public Biased() {
            count.retain(1);   // two references, both counted by the creator
            count.unbias();    // handed over: the actors count in the shared word
        }

        private void releaseAndMaybeFree() {
            if (count.release(1)) {
                deallocations.incrementAndGet();
                seenByDeallocate = payloadA + payloadB;
            }
        }

        @Actor
        public void first() {
            payloadA = 1;
            releaseAndMaybeFree();
        }

        @Actor
        public void second() {
            payloadB = 1;
            releaseAndMaybeFree();
        }

        @Arbiter
        public void result(II_Result r) {
            r.r1 = deallocations.get();
            r.r2 = seenByDeallocate;
        }
    }
}
