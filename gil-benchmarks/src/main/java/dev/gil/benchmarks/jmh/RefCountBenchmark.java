package dev.gil.benchmarks.jmh;

import dev.gil.core.GlobalInterpreterLock;
import dev.gil.refcount.Rc;
import dev.gil.refcount.RefCountMode;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per {@code retain()+release()} pair in every {@link RefCountMode}: the seed's argument in numbers. One
 * thread on its own object, and two threads sharing one object. GIL mode holds the lock around each batch of 100
 * pairs, as CPython holds its GIL around many reference-count changes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RefCountBenchmark {
    static final int BATCH = 100;

    /** State for both shapes: one object, and the lock for GIL mode. */
    public abstract static class Counted {
        GlobalInterpreterLock gil;
        Rc<Object> object;

        void create(RefCountMode mode) {
            gil = GlobalInterpreterLock.create();
            object = mode == RefCountMode.GIL ? Rc.of(new Object(), o -> { }, gil) : Rc.of(new Object(), o -> { }, mode);
        }

        void pairs() {
            boolean underGil = object.mode() == RefCountMode.GIL;
            if (underGil) {
                gil.acquire();
            }
            try {
                for (int i = 0; i < BATCH; i++) {
                    object.retain();
                    object.release();
                }
            } finally {
                if (underGil) {
                    gil.release();
                }
            }
        }
    }

    /** One thread, its own object (BIASED: the thread is the owner). */
    @State(Scope.Thread)
    public static class OwnObject extends Counted {
        @Param({"UNSYNCHRONIZED", "GIL", "PER_OBJECT_LOCK", "ATOMIC", "BIASED", "IMMORTAL"})
        public RefCountMode mode;

        /** Creates the object on the benchmark thread. */
        @Setup(Level.Trial)
        public void setUp() {
            create(mode);
        }
    }

    /** Two threads, one object. UNSYNCHRONIZED is left out: shared by two threads it is simply wrong. */
    @State(Scope.Benchmark)
    public static class SharedObject extends Counted {
        @Param({"GIL", "PER_OBJECT_LOCK", "ATOMIC", "BIASED", "IMMORTAL"})
        public RefCountMode mode;

        /** Creates the object (BIASED: on one of the two threads, which becomes its owner). */
        @Setup(Level.Trial)
        public void setUp() {
            create(mode);
        }

        /** Checks nothing was lost. */
        @TearDown(Level.Trial)
        public void check() {
            if (mode != RefCountMode.GIL && mode != RefCountMode.IMMORTAL && object.refCnt() != 1) {
                throw new IllegalStateException(mode + " lost updates: refCnt " + object.refCnt());
            }
        }
    }

    /**
     * One thread.
     *
     * @param state its object
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void oneThread(OwnObject state) {
        state.pairs();
    }

    /**
     * Two threads on one object.
     *
     * @param state the shared object
     */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public void twoThreads(SharedObject state) {
        state.pairs();
    }
}
