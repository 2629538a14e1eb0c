package dev.gil.examples;

import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The convoy effect (Beazley): an I/O thread that answers requests, blocking in {@code allowThreads} between them, next
 * to one CPU-bound thread. Under CPython's switch interval the I/O thread must wait an interval to get the lock back
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
     * @throws InterruptedException if interrupted
     */
    public static List<Row> measure(Duration duration) throws InterruptedException {
        List<Row> rows = new ArrayList<>();
        for (HandoffScheduler scheduler : List.of(HandoffScheduler.switchInterval(Duration.ofMillis(5)),
                HandoffScheduler.ioPriority(), HandoffScheduler.fair())) {
            rows.add(run(scheduler, duration));
        }
        return rows;
    }

    private static Row run(HandoffScheduler scheduler, Duration duration) throws InterruptedException {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(scheduler).name("convoy").build();
        List<Long> roundTrips = EchoWorkload.run(gil, 1, duration, Duration.ofNanos(200_000));
        long[] sorted = roundTrips.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Row(scheduler.toString(), sorted.length, percentile(sorted, 50) / 1e3, percentile(sorted, 99) / 1e3);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    /**
     * Runs it and prints the table.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
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
