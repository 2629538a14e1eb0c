package dev.gil.benchmarks;

import dev.gil.multiprocess.Connection;
import dev.gil.multiprocess.JvmProcess;
import dev.gil.multiprocess.Pipe;
import dev.gil.multiprocess.ProcessContext;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * CPython's {@code spawn} and {@code pipe} benches on the JVM: a child started and joined, a ping-pong of a small
 * object with a child, and 1 MiB messages streamed to a child; with {@code dd | dd} and a bare {@code java -version}
 * as the machine's limits.
 */
final class MultiprocessScenarios {
    /** CPython's ping-pong message: {@code ('ping', 12345, 1.5)}. */
    private static final Object[] PING = {"ping", 12345, 1.5};

    private MultiprocessScenarios() {}

    static void nothing() {}

    /** Milliseconds from {@code start()} to the end of {@code join()} of a child with an empty target. */
    static double coldStartMillis() throws InterruptedException {
        long start = System.nanoTime();
        JvmProcess child = new JvmProcess(MultiprocessScenarios::nothing);
        child.start();
        child.join();
        double millis = (System.nanoTime() - start) / 1e6;
        child.close();
        return millis;
    }

    /**
     * Milliseconds from {@code start()} to the child's task running, measured by the child reading
     * {@code System.nanoTime()}: on Linux HotSpot reads {@code CLOCK_MONOTONIC}, one clock for every process. The
     * task captures a {@link Connection}. Measured with a ready warm standby, cold or warm.
     */
    static double startToRunningMillis(boolean warm) throws Exception {
        // A standby still booting would compete with a cold child for the CPUs, or be what a warm start waits for.
        ProcessContext.defaultContext().prepareWarmStandby(Duration.ofMinutes(1));
        Pipe pipe = Pipe.open(false);
        Connection report = pipe.right();
        JvmProcess child = JvmProcess.builder(() -> report.send(System.nanoTime())).warmStart(warm).build();
        long start = System.nanoTime();
        child.start();
        long running = (Long) pipe.left().recv();
        child.join();
        child.close();
        pipe.left().close();
        return (running - start) / 1e6;
    }

    /** The collector options a child JVM is started with, as a child reports them: read once. */
    private static List<String> childCollector;

    static ArrayList<String> inputArguments() {
        return new ArrayList<>(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    private static synchronized List<String> childCollector() throws InterruptedException {
        if (childCollector == null) {
            JvmProcess child = JvmProcess.builder(MultiprocessScenarios::inputArguments).build();
            child.start();
            child.join();
            @SuppressWarnings("unchecked")
            List<String> arguments = (List<String>) child.result();
            child.close();
            childCollector = arguments.stream().filter(option -> option.matches("-XX:\\+Use\\w+GC")).toList();
        }
        return childCollector;
    }

    /**
     * Milliseconds for a bare {@code java -version} with a child's collector and flags: the JVM's own start-up, the
     * floor for ours.
     */
    static double bareJvmMillis() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java"));
        command.addAll(childCollector());
        command.addAll(List.of("-XX:-UsePerfData", "-Xshare:auto", "-version"));
        long start = System.nanoTime();
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        java.getInputStream().readAllBytes();
        java.waitFor();
        return (System.nanoTime() - start) / 1e6;
    }

    /**
     * The p50 and p99 round trip of {@code send(PING)} and {@code recv()} with a child, in microseconds, and the
     * 1 MiB throughput; each {@link Messages} shape's p50 goes into {@code shapeP50Micros}.
     */
    static double[] pingPongMicros(int warmUp, int rounds, int mebibytes, Map<String, Double> shapeP50Micros)
            throws Exception {
        Pipe pipe = Pipe.open();
        Connection childEnd = pipe.right();
        Connection parent = pipe.left();
        JvmProcess child = new JvmProcess(() -> objectEcho(childEnd));
        child.start();
        Histogram rtt = roundTrips(parent, () -> PING, warmUp, rounds);
        for (String shape : List.of("list", "dict", "record")) {
            shapeP50Micros.put(shape, (double) roundTrips(parent, () -> Messages.of(shape), warmUp, rounds)
                    .getValueAtPercentile(50));
        }
        parent.send("bulk");
        byte[] mebibyte = new byte[1 << 20];
        int warmUpMebibytes = Math.max(1, mebibytes / 4); // both JITs compile the bulk path before the clock starts
        parent.send(warmUpMebibytes);
        for (int i = 0; i < warmUpMebibytes; i++) {
            parent.sendBytes(mebibyte);
        }
        parent.recvBytes();
        parent.send(mebibytes); // how many to expect, so that the child acknowledges the last one only
        long start = System.nanoTime();
        for (int i = 0; i < mebibytes; i++) {
            parent.sendBytes(mebibyte);
        }
        parent.recvBytes(); // the clock stops when the child has read them all, as CPython's peer does
        double seconds = (System.nanoTime() - start) / 1e9;
        parent.close();
        child.join();
        child.close();
        return new double[] {rtt.getValueAtPercentile(50), rtt.getValueAtPercentile(99), mebibytes / seconds};
    }

    private static Histogram roundTrips(Connection parent, Supplier<Object> message, int warmUp, int rounds)
            throws IOException {
        Histogram rtt = new Histogram(3);
        for (int i = 0; i < warmUp + rounds; i++) {
            Object sending = message.get();
            long sent = System.nanoTime();
            parent.send(sending);
            parent.recv();
            if (i >= warmUp) {
                rtt.recordValue((System.nanoTime() - sent) / 1_000);
            }
        }
        return rtt;
    }

    /** Echoes objects until told "bulk"; then acknowledges the warm-up messages, and the counted ones, at once. */
    static void objectEcho(Connection connection) throws IOException {
        for (;;) {
            Object message = connection.recv();
            if ("bulk".equals(message)) {
                break;
            }
            connection.send(message);
        }
        int warmUp = (Integer) connection.recv();
        for (int i = 0; i < warmUp; i++) {
            connection.recvBytes();
        }
        connection.sendBytes(new byte[0]);
        int expected = (Integer) connection.recv();
        for (int i = 0; i < expected; i++) {
            connection.recvBytes();
        }
        connection.sendBytes(new byte[0]);
        try {
            connection.recvBytes(); // until the parent closes
        } catch (EOFException closed) {
            // done
        }
    }

    /** 1 MiB messages per throughput measurement (quick mode); the full run sends four times as many. */
    static final int BULK_BATCH = 256;

    /** MiB/s of {@code dd if=/dev/zero bs=64K | dd of=/dev/null}: what a pipe on this machine can carry. */
    static double ddMebibytesPerSecond(int mebibytes) throws IOException, InterruptedException {
        Process dd = new ProcessBuilder("sh", "-c", "dd if=/dev/zero bs=64K count=" + (mebibytes * 16)
                + " 2>/dev/null | dd of=/dev/null bs=64K 2>&1").redirectErrorStream(true).start();
        long start = System.nanoTime();
        try (InputStream out = dd.getInputStream()) {
            out.readAllBytes();
        }
        if (!dd.waitFor(2, TimeUnit.MINUTES)) {
            dd.destroyForcibly();
            return Double.NaN;
        }
        return mebibytes / ((System.nanoTime() - start) / 1e9);
    }
}
