package dev.gil.examples;

import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * The convoy effect (Beazley), as CPython's {@code convoy} bench measures it: an echo server thread holding the lock
 * except inside {@code allowThreads} around each {@code read} and {@code write}, next to CPU-bound threads that hold
 * the lock and checkpoint after every {@link Work} unit. A client thread that never takes the lock (CPython's client is
 * a separate process with its own GIL) sends 64-byte messages over an AF_UNIX socket and records each round trip.
 * The tour ({@link ConvoyExample}) and {@code gil-benchmarks compare} both measure it here.
 *
 * <pre>{@code
 * Convoy.Result result = Convoy.run(HandoffScheduler.ioPriority(), 1, Duration.ofMillis(300));
 * }</pre>
 */
public final class Convoy {
    static final int MESSAGE_BYTES = 64;

    /**
     * Round-trip times of one run.
     *
     * @param p50Micros median round trip, in microseconds
     * @param p90Micros 90th percentile, in microseconds
     * @param p99Micros 99th percentile, in microseconds
     * @param messagesPerSecond round trips per second
     * @param roundTrips round trips in all
     * @param overSwitchIntervalShare the share of round trips that took at least CPython's default switch interval
     *     ({@link HandoffScheduler#DEFAULT_SWITCH_INTERVAL}, 5 ms): requests that waited for a drop request
     */
    public record Result(double p50Micros, double p90Micros, double p99Micros, double messagesPerSecond,
            long roundTrips, double overSwitchIntervalShare) {}

    private Convoy() {}

    /**
     * Runs the convoy on a new lock with this scheduler.
     *
     * @param scheduler the lock's scheduler
     * @param cpuThreads CPU-bound threads beside the echo server (0 for the baseline)
     * @param duration how long the client sends
     * @return the round trips
     * @throws IOException if the echo socket fails
     * @throws InterruptedException if interrupted
     */
    public static Result run(HandoffScheduler scheduler, int cpuThreads, Duration duration)
            throws IOException, InterruptedException {
        return run(GlobalInterpreterLock.builder().scheduler(scheduler).name("convoy").build(), cpuThreads, duration);
    }

    /**
     * Runs the convoy on a lock of the caller's, which may be traced.
     *
     * @param gil the lock the echo server and the CPU-bound threads share
     * @param cpuThreads CPU-bound threads beside the echo server
     * @param duration how long the client sends
     * @return the round trips
     * @throws IOException if the echo socket fails
     * @throws InterruptedException if interrupted
     */
    public static Result run(GlobalInterpreterLock gil, int cpuThreads, Duration duration)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("gil-convoy");
        Path socket = dir.resolve("echo.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            SocketChannel accepted = server.accept();
            GilThread echo = new GilThread(gil, () -> echo(gil, accepted), "echo-server");
            Spinners spinners = new Spinners(gil, cpuThreads);
            Histogram rtt = new Histogram(3);
            echo.start();
            spinners.start();
            long deadline = System.nanoTime() + duration.toNanos();
            int roundTrips = 0;
            ByteBuffer message = ByteBuffer.allocate(MESSAGE_BYTES);
            long start = System.nanoTime();
            while (System.nanoTime() < deadline) {
                long sent = System.nanoTime();
                message.clear();
                while (message.hasRemaining()) {
                    client.write(message);
                }
                message.clear();
                while (message.hasRemaining()) {
                    if (client.read(message) < 0) {
                        throw new IOException("echo server closed the connection");
                    }
                }
                rtt.recordValue((System.nanoTime() - sent) / 1_000);
                roundTrips++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            spinners.stop();
            client.close();
            echo.join();
            long interval = HandoffScheduler.DEFAULT_SWITCH_INTERVAL.toNanos() / 1_000;
            double overInterval = roundTrips == 0 ? 0
                    : (double) (roundTrips - rtt.getCountBetweenValues(0, interval - 1)) / roundTrips;
            return new Result(rtt.getValueAtPercentile(50), rtt.getValueAtPercentile(90),
                    rtt.getValueAtPercentile(99), roundTrips / elapsed, roundTrips, overInterval);
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void echo(GlobalInterpreterLock gil, SocketChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(MESSAGE_BYTES);
        try (channel) {
            for (;;) {
                buffer.clear();
                if (gil.allowThreads(() -> channel.read(buffer)) < 0) {
                    return;
                }
                buffer.flip();
                gil.allowThreads(() -> {
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                });
            }
        } catch (IOException e) {
            throw new IllegalStateException("echo server failed", e);
        }
    }

    /** CPU-bound threads under the lock until stopped: CPython's spinning threads. */
    private static final class Spinners {
        private final GlobalInterpreterLock gil;
        private final Thread[] threads;
        private volatile boolean running = true;

        Spinners(GlobalInterpreterLock gil, int count) {
            this.gil = gil;
            this.threads = new Thread[count];
            for (int i = 0; i < count; i++) {
                threads[i] = new GilThread(gil, this::spin, "spinner-" + i);
            }
        }

        void start() {
            for (Thread thread : threads) {
                thread.start();
            }
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join();
            }
        }

        private void spin() {
            while (running) {
                Work.countdown(gil, 1);
            }
        }
    }
}
