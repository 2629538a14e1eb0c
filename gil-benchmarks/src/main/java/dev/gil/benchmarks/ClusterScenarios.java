package dev.gil.benchmarks;

import dev.gil.cluster.ClusterPool;
import dev.gil.multiprocess.ProcessPool;
import dev.gil.multiprocess.TaskPool;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@link ClusterPool} on a 2-member cluster of JVMs on this machine: the speedup of CPU-bound work over one thread, and
 * the per-task cost of tiny tasks beside {@link ProcessPool}'s. Pools are started before anything is timed.
 */
final class ClusterScenarios {
    private ClusterScenarios() {}

    /** One repetition: CPU speedup, and tasks/s of tiny tasks on the cluster and on a process pool. */
    record Figures(double cpuSpeedup, double clusterTasksPerSecond, double processPoolTasksPerSecond) {}

    static void run(int reps, long roundsPerChunk, int tinyTasks, PoolScenarios.RepetitionSink<Figures> sink)
            throws Exception {
        List<Long> chunks = Collections.nCopies(PoolScenarios.CHUNKS, roundsPerChunk);
        List<Integer> tiny = IntStream.range(0, tinyTasks).boxed().collect(Collectors.toList());
        try (ClusterPool cluster = ClusterPool.builder().localMembers(2).build();
                ProcessPool processes = ProcessPool.create(2)) {
            for (TaskPool pool : List.<TaskPool>of(cluster, processes)) { // warm-up of both, and of this JVM
                pool.map(PoolScenarios::countdown, chunks);
                for (int i = 0; i < 5; i++) {
                    pool.map(PoolScenarios::square, tiny, 1);
                }
            }
            for (long chunk : chunks) {
                PoolScenarios.countdown(chunk);
            }
            for (int rep = 0; rep < reps; rep++) {
                long start = System.nanoTime();
                long sequential = 0;
                for (long chunk : chunks) {
                    sequential += PoolScenarios.countdown(chunk);
                }
                double sequentialNanos = System.nanoTime() - start;
                start = System.nanoTime();
                long parallel = cluster.map(PoolScenarios::countdown, chunks).stream().mapToLong(Long::longValue)
                        .sum();
                double parallelNanos = System.nanoTime() - start;
                if (sequential != parallel) {
                    throw new IllegalStateException("the cluster computed a wrong result");
                }
                sink.accept(new Figures(sequentialNanos / parallelNanos, tasksPerSecond(cluster, tiny),
                        tasksPerSecond(processes, tiny)));
            }
        }
    }

    private static double tasksPerSecond(TaskPool pool, List<Integer> tiny) {
        long start = System.nanoTime();
        pool.map(PoolScenarios::square, tiny, 1);
        return tiny.size() / ((System.nanoTime() - start) / 1e9);
    }
}
