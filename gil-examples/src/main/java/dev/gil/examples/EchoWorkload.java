package dev.gil.examples;

import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The convoy's workload: an I/O thread that answers requests, blocking in {@code allowThreads} between them, next to
 * CPU-bound threads that checkpoint every unit of work; and a client outside the lock (as another process would be)
 * that sends a request, waits for the answer, and thinks a little before the next.
 *
 * <pre>{@code
 * List<Long> roundTrips = EchoWorkload.run(gil, 1, Duration.ofMillis(300), Duration.ofNanos(200_000));
 * }</pre>
 */
final class EchoWorkload {
    private EchoWorkload() {}

    /**
     * Runs the workload until {@code duration} has passed.
     *
     * @return each request's round trip, in nanoseconds
     */
    static List<Long> run(GlobalInterpreterLock gil, int cpuThreads, Duration duration, Duration thinkTime)
            throws InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        BlockingQueue<Long> requests = new ArrayBlockingQueue<>(1);
        BlockingQueue<Long> replies = new ArrayBlockingQueue<>(1);
        List<Thread> cpu = new ArrayList<>();
        for (int i = 0; i < cpuThreads; i++) {
            cpu.add(new GilThread(gil, () -> {
                while (System.nanoTime() < until) {
                    Work.countdown(gil, 50);
                }
            }, cpuThreads == 1 ? "cpu" : "cpu-" + (i + 1)));
        }
        Thread io = new GilThread(gil, () -> {
            try {
                for (;;) {
                    Long request = gil.allowThreads(() -> requests.poll(1, TimeUnit.SECONDS));
                    if (request == null || request < 0) {
                        return;
                    }
                    gil.allowThreads(() -> replies.put(request));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "io-echo");
        io.start();
        cpu.forEach(Thread::start);
        List<Long> roundTrips = new ArrayList<>();
        while (System.nanoTime() < until) {
            long sent = System.nanoTime();
            requests.put(sent);
            replies.take();
            roundTrips.add(System.nanoTime() - sent);
            TimeUnit.NANOSECONDS.sleep(thinkTime.toNanos());
        }
        requests.put(-1L);
        io.join();
        for (Thread thread : cpu) {
            thread.join();
        }
        return roundTrips;
    }
}
