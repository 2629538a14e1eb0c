package dev.gil.examples;

import dev.gil.core.GilThread;
import dev.gil.core.GilTrace;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Who held the lock, who waited, and for how long: two CPU-bound threads and one thread that answers messages
 * (blocking in {@code allowThreads} between them), recorded with {@link GlobalInterpreterLock#startTrace()} under
 * CPython's switch interval and under {@code ioPriority()}, written as Perfetto JSON and SVG timelines.
 *
 * <pre>
 * java -jar gil-examples/target/gil-examples.jar trace --out docs/trace
 * </pre>
 */
public final class TraceExample {
    private TraceExample() {}

    /**
     * Records both schedulers and writes {@code <name>.json} and {@code <name>.svg} for each into {@code out}.
     *
     * @param out the directory to write to (created if missing)
     * @param millis how long to record each run
     * @return the files written
     * @throws IOException if a file cannot be written
     * @throws InterruptedException if interrupted
     */
    public static java.util.List<Path> record(Path out, long millis) throws IOException, InterruptedException {
        Files.createDirectories(out);
        java.util.List<Path> written = new java.util.ArrayList<>();
        for (String name : new String[] {"switch-interval", "io-priority"}) {
            HandoffScheduler scheduler = name.equals("io-priority") ? HandoffScheduler.ioPriority()
                    : HandoffScheduler.switchInterval(HandoffScheduler.DEFAULT_SWITCH_INTERVAL);
            GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(scheduler).name(name).build();
            GilTrace trace = gil.startTrace();
            run(gil, millis);
            trace.stop();
            Path json = out.resolve(name + ".json");
            Path svg = out.resolve(name + ".svg");
            trace.writeChromeJson(json);
            trace.writeSvg(svg);
            written.add(json);
            written.add(svg);
        }
        return written;
    }

    private static void run(GlobalInterpreterLock gil, long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        BlockingQueue<Integer> requests = new ArrayBlockingQueue<>(1);
        BlockingQueue<Integer> replies = new ArrayBlockingQueue<>(1);
        Thread[] cpu = new Thread[2];
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] = new GilThread(gil, () -> {
                while (System.nanoTime() < until) {
                    Work.countdown(gil, 50);
                }
            }, "cpu-" + (i + 1));
        }
        Thread io = new GilThread(gil, () -> {
            try {
                for (;;) {
                    Integer request = gil.allowThreads(() -> requests.poll(1, TimeUnit.SECONDS));
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
        for (Thread thread : cpu) {
            thread.start();
        }
        for (int message = 0; System.nanoTime() < until; message++) { // a client outside the lock
            requests.put(message);
            replies.take();
            TimeUnit.MILLISECONDS.sleep(2); // think time between requests, as a real client has
        }
        requests.put(-1);
        io.join();
        for (Thread thread : cpu) {
            thread.join();
        }
    }
}
