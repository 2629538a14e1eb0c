package dev.gil.examples;

import dev.gil.cluster.ClusterPool;
import dev.gil.multiprocess.ProcessPool;
import dev.gil.multiprocess.TaskPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@link CpuBoundExample}'s workload on a {@link TaskPool}: 8 chunks of CPU-bound work on one thread, on a
 * {@link ProcessPool} of 2 workers, and on a {@link ClusterPool} of 2 member JVMs started on this machine, with the
 * same code for both pools (the one-line switch).
 *
 * <pre>{@code
 * List<ClusterExample.Row> rows = ClusterExample.measure(2_000_000);
 * }</pre>
 */
public final class ClusterExample {
    private ClusterExample() {}

    /**
     * One way of running the chunks.
     *
     * @param how what ran them
     * @param seconds wall time
     */
    public record Row(String how, double seconds) {}

    /**
     * Runs the chunks each way (the pools are started first, and not timed).
     *
     * @param units total work units, about a microsecond each
     * @return one thread, the process pool, the cluster
     */
    public static List<Row> measure(long units) {
        List<Long> chunks = Collections.nCopies(8, units / 8);
        List<Row> rows = new ArrayList<>();
        long start = System.nanoTime();
        for (long chunk : chunks) {
            Work.countdownUnlocked(chunk);
        }
        rows.add(new Row("1 thread", (System.nanoTime() - start) / 1e9));
        try (TaskPool pool = ProcessPool.create(2)) {
            rows.add(new Row("ProcessPool.create(2)", timeMap(pool, chunks)));
        }
        try (TaskPool pool = ClusterPool.builder().localMembers(2).build()) {
            rows.add(new Row("ClusterPool.builder().localMembers(2).build()", timeMap(pool, chunks)));
        }
        return rows;
    }

    /** The same code for every pool: that is the point. */
    private static double timeMap(TaskPool pool, List<Long> chunks) {
        pool.map(Work::countdownUnlocked, chunks.subList(0, 2)); // warm-up
        long start = System.nanoTime();
        pool.map(Work::countdownUnlocked, chunks);
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Prints the three runs.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        List<Row> rows = measure(1_000_000);
        System.out.println("CPU-bound work in 8 chunks: one thread, then the same pool.map(...) call on two pools");
        System.out.println();
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "%-48s %7.3f s  %5.2fx%n", row.how(), row.seconds(),
                    rows.get(0).seconds() / row.seconds());
        }
    }
}
