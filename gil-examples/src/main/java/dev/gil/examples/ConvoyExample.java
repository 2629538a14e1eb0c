package dev.gil.examples;

import dev.gil.core.HandoffScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The convoy effect (Beazley): an I/O thread that answers requests, blocking in {@code allowThreads} between them, next
 * to one CPU-bound thread ({@link Convoy}, the same run {@code gil-benchmarks compare} measures). Under CPython's switch interval the I/O thread must wait an interval to get the lock back
 * after each request; with {@code ioPriority()} or {@code fair()} it gets it at the CPU thread's next checkpoint.
 *
 * <pre>{@code
 * List<ConvoyExample.Row> rows = ConvoyExample.measure(Duration.ofMillis(300));
 * }</pre>
 */
public final class ConvoyExample {
    private ConvoyExample() {}

    /**
     * One scheduler's request latency.
     *
     * @param scheduler the scheduler
     * @param requests answered requests
     * @param p50Micros median round trip
     * @param p99Micros 99th percentile round trip
     */
    public record Row(String scheduler, int requests, double p50Micros, double p99Micros) {}

    /**
     * Runs the convoy under three schedulers.
     *
     * @param duration how long each runs
     * @return one row per scheduler
     * @throws IOException if the echo socket fails
     * @throws InterruptedException if interrupted
     */
    public static List<Row> measure(Duration duration) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        for (HandoffScheduler scheduler : List.of(HandoffScheduler.switchInterval(Duration.ofMillis(5)),
                HandoffScheduler.ioPriority(), HandoffScheduler.fair())) {
            Convoy.Result result = Convoy.run(scheduler, 1, duration);
            rows.add(new Row(scheduler.toString(), (int) result.roundTrips(), result.p50Micros(), result.p99Micros()));
        }
        return rows;
    }

    /**
     * Runs it and prints the table.
     *
     * @param args ignored
     * @throws IOException if the echo socket fails
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        print(measure(Duration.ofMillis(1000)));
    }

    static void print(List<Row> rows) {
        System.out.printf("  %-22s %10s %14s %14s%n", "scheduler", "requests", "p50 round trip", "p99 round trip");
        for (Row row : rows) {
            System.out.printf("  %-22s %,10d %11.0f us %11.0f us%n", row.scheduler(), row.requests(), row.p50Micros(),
                    row.p99Micros());
        }
    }
}
