package dev.gil.benchmarks.jmh;

import dev.gil.core.GlobalInterpreterLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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

/**
 * Uncontended {@code acquire()+release()} of a free lock against {@code ReentrantLock.lock()+unlock()}; and the same
 * with timings recorded, or a trace running, to measure what instrumentation costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class UncontendedAcquireBenchmark {
    /** none: the default lock; timings: recordTimings(true); trace: a running trace. */
    @Param({"none", "timings", "trace"})
    public String instrumentation;

    private GlobalInterpreterLock gil;
    private final ReentrantLock reentrantLock = new ReentrantLock();

    /** Builds the lock for the chosen instrumentation. */
    @Setup(Level.Trial)
    public void build() {
        gil = GlobalInterpreterLock.builder().recordTimings(instrumentation.equals("timings")).build();
        if (instrumentation.equals("trace")) {
            gil.startTrace(1 << 16);
        }
    }

    /** Baseline. */
    @Benchmark
    public void reentrantLock() {
        reentrantLock.lock();
        reentrantLock.unlock();
    }

    /** The GIL's fast paths: CAS in, volatile store out. */
    @Benchmark
    public void gil() {
        gil.acquire();
        gil.release();
    }
}
