package dev.gil.benchmarks.jmh;

import dev.gil.core.internal.SingleWriterHistogram;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one hold time costs the lock's timings: its own single-writer histogram against HdrHistogram's
 * {@link SingleWriterRecorder} (the HdrHistogram type for one writer and a concurrent reader) and a plain
 * {@link Histogram} (which a concurrent reader may not read). The values are hold times of 1 µs to 10 ms,
 * log-uniform, cycled from a table so that drawing them costs the same in every benchmark.
 *
 * <p>The one benchmark that reaches into {@code dev.gil.core.internal}: it measures the internal choice that
 * {@code docs/design/observability.md} explains, which no public API exposes on its own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HistogramBenchmark {
    private static final int VALUES = 1 << 12;

    private final long[] values = new long[VALUES];
    private int next;
    private SingleWriterHistogram ours;
    private SingleWriterRecorder recorder;
    private Histogram plain;

    /** Fresh histograms, and the values to record. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < VALUES; i++) {
            values[i] = (long) Math.pow(10, 3 + 4 * random.nextDouble());
        }
        ours = new SingleWriterHistogram();
        recorder = new SingleWriterRecorder(SingleWriterHistogram.HIGHEST, 3);
        plain = new Histogram(SingleWriterHistogram.HIGHEST, 3);
    }

    private long nextValue() {
        return values[next++ & (VALUES - 1)];
    }

    /** The lock's histogram: plain counts written with opaque stores, pages allocated on first use. */
    @Benchmark
    public void singleWriterHistogram() {
        ours.record(nextValue());
    }

    /** HdrHistogram's recorder for one writer: a writer-reader phaser around each record. */
    @Benchmark
    public void hdrSingleWriterRecorder() {
        recorder.recordValue(nextValue());
    }

    /** HdrHistogram's plain histogram: the floor, with no way to read it while it records. */
    @Benchmark
    public void hdrHistogram() {
        plain.recordValue(nextValue());
    }
}
