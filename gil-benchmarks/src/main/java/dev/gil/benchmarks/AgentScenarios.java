package dev.gil.benchmarks;

import dev.gil.agent.GilAgent;
import dev.gil.benchmarks.jmh.AgentPollBenchmark;
import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The gil4j agent measured in JVMs started with it ({@link GilAgent#javaagentOption}): the cost of its polls
 * with nobody waiting ({@link AgentPollBenchmark}), and how long a thread waits for the lock while another runs a
 * CPU-bound loop with no checkpoint() call under {@code switchInterval(5ms)} ({@link #main}).
 */
public final class AgentScenarios {
    static final String INCLUDE = "include=bench.agent.*;blocking=bench.agent.*";

    private AgentScenarios() {}

    /** Nanoseconds per call of the instrumented and the plain loop, one sample per JMH iteration. */
    static Map<String, Samples> pollCost() throws RunnerException {
        return JmhRows.run(AgentPollBenchmark.class.getName(), false, GilAgent.javaagentOption(INCLUDE));
    }

    /** The waiter's p50 in microseconds, from a JVM of its own started with the agent. */
    static double handoffP50Micros(int rounds) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                GilAgent.javaagentOption(INCLUDE), "-cp", System.getProperty("java.class.path"),
                AgentScenarios.class.getName(),
                String.valueOf(rounds)).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(2, TimeUnit.MINUTES) || child.exitValue() != 0) {
            child.destroyForcibly();
            throw new IOException("the agent handoff run failed: " + output);
        }
        List<String> lines = output.lines().filter(line -> line.startsWith("p50_us=")).toList();
        if (lines.isEmpty()) {
            throw new IOException("the agent handoff run printed no p50: " + output);
        }
        return Double.parseDouble(lines.get(0).substring("p50_us=".length()));
    }

    /**
     * In a JVM started with the agent: a {@link GilThread} spins in {@code bench.agent} code with no checkpoint()
     * call; this thread, like an I/O thread, does 1 ms of blocking work outside the lock and then acquires it,
     * {@code args[0]} times, and prints the median wait (CPython's answer: one switch interval).
     *
     * @param args the number of rounds
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int rounds = Integer.parseInt(args[0]);
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder()
                .scheduler(HandoffScheduler.switchInterval(Duration.ofMillis(5))).build();
        AtomicBoolean stop = new AtomicBoolean();
        GilThread spinner = new GilThread(gil, () -> {
            while (!stop.get()) {
                bench.agent.Loops.spinUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1));
            }
        });
        spinner.start();
        Histogram waits = new Histogram(3);
        for (int i = 0; i < rounds + 10; i++) {
            long start = System.nanoTime();
            gil.acquire();
            long waited = System.nanoTime() - start;
            if (i == rounds + 9) {
                stop.set(true);
            }
            gil.release();
            if (i >= 10) {
                waits.recordValue(waited / 1_000);
            }
            Thread.sleep(1); // blocking work outside the lock, like an I/O thread's: the spinner takes the lock
        }
        spinner.join();
        System.out.println("p50_us=" + waits.getValueAtPercentile(50));
        System.out.println("p99_us=" + waits.getValueAtPercentile(99));
    }
}
