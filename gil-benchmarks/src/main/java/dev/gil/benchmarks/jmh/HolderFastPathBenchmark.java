package dev.gil.benchmarks.jmh;

import dev.gil.core.GlobalInterpreterLock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the holder pays on its hot path with nobody waiting: {@code checkpoint()} against the volatile read it is
 * built on, and a reentrant {@code acquire()+release()}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HolderFastPathBenchmark {
    private final GlobalInterpreterLock gil = GlobalInterpreterLock.create();
    private volatile boolean flag;

    /** Holds the lock for the checkpoint benchmarks. */
    @Setup(Level.Iteration)
    public void hold() {
        gil.acquire();
    }

    /** Releases it again. */
    @TearDown(Level.Iteration)
    public void unhold() {
        gil.release();
    }

    /** A reentrant hold on top of the iteration's hold: the holder's own fast path. */
    @Benchmark
    public void gilReentrantAcquireRelease() {
        gil.acquire();
        gil.release();
    }

    /** Baseline: one volatile read, what a checkpoint with nobody waiting should cost. */
    @Benchmark
    public boolean volatileRead() {
        return flag;
    }

    /** {@code checkpoint()} by the holder with nobody waiting. */
    @Benchmark
    public void checkpointNobodyWaiting() {
        gil.checkpoint();
    }
}
