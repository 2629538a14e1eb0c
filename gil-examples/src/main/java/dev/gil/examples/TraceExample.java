package dev.gil.examples;

import dev.gil.core.GilTrace;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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

    private static void run(GlobalInterpreterLock gil, long millis) throws IOException, InterruptedException {
        Convoy.run(gil, 2, Duration.ofMillis(millis));
    }
}
