package dev.gil.benchmarks.jmh;

import dev.gil.refcount.LeakDetector;
import dev.gil.refcount.Rc;
import dev.gil.refcount.RefCountMode;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The cost of leak detection on the life of an object: create, use, release, per level. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LeakDetectionBenchmark {
    @Param({"DISABLED", "SAMPLED", "PARANOID"})
    public LeakDetector.Level level;

    private final Object payload = new Object();

    /** Applies the level. */
    @Setup(Level.Trial)
    public void setLevel() {
        LeakDetector.setLevel(level);
    }

    /**
     * One object's life.
     *
     * @return the value, so the JIT keeps the object
     */
    @Benchmark
    public Object createUseRelease() {
        try (Rc<Object> rc = Rc.of(payload, o -> { }, RefCountMode.ATOMIC)) {
            return rc.get();
        }
    }
}
