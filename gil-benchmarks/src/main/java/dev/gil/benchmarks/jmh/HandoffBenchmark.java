package dev.gil.benchmarks.jmh;

import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Contended handoff throughput under {@code fair()}: the benchmark thread and a partner pass the lock back and forth
 * at checkpoints, and one operation is a round trip (two handoffs). With timings recorded, or a trace running, it
 * measures what instrumentation costs the handoff; each setting runs in its own forks, so the uninstrumented lock is
 * compiled without ever having seen the instrumented paths.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class HandoffBenchmark {
    /** none: the default lock; timings: recordTimings(true); trace: a running trace. */
    @Param({"none", "timings", "trace"})
    public String instrumentation;

    private CheckpointPartner partner;

    /** Builds the lock, takes it and starts the partner, which checkpoints until told to stop. */
    @Setup(Level.Trial)
    public void start() {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair())
                .recordTimings(instrumentation.equals("timings")).build();
        if (instrumentation.equals("trace")) {
            gil.startTrace(1 << 16); // wraps: memory stays bounded however long the trial
        }
        partner = CheckpointPartner.start(gil);
    }

    /** Stops the partner. */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        partner.stop();
    }

    /** Waits for the partner to queue, then hands the lock over and gets it back. */
    @Benchmark
    public void roundTrip() {
        partner.roundTrip();
    }
}
