package dev.gil.benchmarks.jmh;

import dev.gil.agent.GilAgent;
import dev.gil.core.GlobalInterpreterLock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
 * The price of the agent's polls with nobody waiting: the same xorshift loop instrumented ({@code bench.agent}) and
 * not ({@code bench.plain}), run by a thread holding the lock; and of a blocking call that returns at once
 * ({@code take} and {@code put} on a queue with an element), released around by the agent and not. Meaningful only
 * with the agent:
 *
 * <pre>
 * java -jar gil-benchmarks/target/gil-benchmarks.jar jmh AgentPoll \
 *     -jvmArgsAppend "-javaagent:gil-benchmarks/target/gil-benchmarks.jar=include=bench.agent.*;blocking=bench.agent.*"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AgentPollBenchmark {
    private static final long ROUNDS = 1_000;
    private GlobalInterpreterLock gil;
    private final BlockingQueue<Object> ready = new LinkedBlockingQueue<>(List.of("element"));

    /** Holds the lock, as code under it does. */
    @Setup(Level.Trial)
    public void holdTheLock() {
        if (!GilAgent.isRunning()) {
            throw new IllegalStateException("run with -jvmArgsAppend -javaagent:<gil-benchmarks.jar>="
                    + "include=bench.agent.*: without the agent both loops are the same");
        }
        gil = GlobalInterpreterLock.create();
        gil.acquire();
    }

    /** Lets the lock go. */
    @TearDown(Level.Trial)
    public void release() {
        gil.release();
    }

    /**
     * The loop with a poll at its back-edge.
     *
     * @return its result
     */
    @Benchmark
    public long instrumented() {
        return bench.agent.Loops.xorshift(ROUNDS);
    }

    /**
     * The same loop, never instrumented.
     *
     * @return its result
     */
    @Benchmark
    public long plain() {
        return bench.plain.Loops.xorshift(ROUNDS);
    }

    /**
     * A take and a put that do not block, each made with the lock released and taken back.
     *
     * @return the element
     * @throws InterruptedException never
     */
    @Benchmark
    public Object blockingCallReleased() throws InterruptedException {
        return bench.agent.Loops.takeReady(ready);
    }

    /**
     * The same take and put, made holding the lock.
     *
     * @return the element
     * @throws InterruptedException never
     */
    @Benchmark
    public Object blockingCallPlain() throws InterruptedException {
        return bench.plain.Loops.takeReady(ready);
    }
}
