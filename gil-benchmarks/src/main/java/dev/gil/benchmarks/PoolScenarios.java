package dev.gil.benchmarks;

import bench.plain.Loops;
import dev.gil.multiprocess.ProcessPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * CPython's {@code pool} bench on the JVM: {@code Pool(2).map(square, range(20000))} with the default chunk size and
 * with chunk size 1, in tasks per second, and CPU-bound work in 8 chunks on 2 workers against the same chunks run
 * one after another in this JVM. As in the peer, the pool is started (and warmed up) before anything is timed.
 */
final class PoolScenarios {
    static final int TASKS = 20_000;
    static final int WORKERS = 2;
    static final int CHUNKS = 8;

    private PoolScenarios() {}

    /** One repetition's figures: tasks/s with the default chunk size (best of three maps), with chunk size 1; speedup. */
    record Figures(List<Double> defaultChunksize, double chunksize1, double cpuSpeedup) {}

    static int square(int x) {
        return x * x;
    }

    /** CPU-bound work the JIT cannot remove: {@code n} rounds of xorshift ({@link Loops#xorshift}), never instrumented. */
    static long countdown(long n) {
        return Loops.xorshift(n);
    }

    /** What to do with each repetition's figures, between repetitions (such as running the CPython peer once). */
    interface RepetitionSink<F> {
        void accept(F figures) throws Exception;
    }

    static void run(int reps, long cpuRoundsPerChunk, RepetitionSink<Figures> sink) throws Exception {
        List<Integer> input = IntStream.range(0, TASKS).boxed().collect(Collectors.toList());
        List<Long> chunks = Collections.nCopies(CHUNKS, cpuRoundsPerChunk);
        try (ProcessPool pool = ProcessPool.create(WORKERS)) {
            for (int i = 0; i < 20; i++) { // warm-up: the workers' JIT compiles the path, as CPython's warm-up starts them
                pool.map(PoolScenarios::square, input);
                pool.map(PoolScenarios::square, input.subList(0, 2000), 1);
            }
            pool.map(PoolScenarios::countdown, chunks); // and the CPU-bound loop, here and in the workers
            for (long chunk : chunks) {
                countdown(chunk);
            }
            for (int rep = 0; rep < reps; rep++) {
                List<Double> trivial = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    List<Integer> squares = pool.map(PoolScenarios::square, input);
                    trivial.add(TASKS / ((System.nanoTime() - start) / 1e9));
                    check(squares.get(TASKS - 1) == (TASKS - 1) * (TASKS - 1));
                }
                long start = System.nanoTime();
                pool.map(PoolScenarios::square, input, 1);
                double one = TASKS / ((System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                long sequentialSum = 0;
                for (long chunk : chunks) {
                    sequentialSum += countdown(chunk);
                }
                double sequential = System.nanoTime() - start;
                start = System.nanoTime();
                long parallelSum = pool.map(PoolScenarios::countdown, chunks).stream().mapToLong(Long::longValue)
                        .sum();
                double parallel = System.nanoTime() - start;
                check(sequentialSum == parallelSum);
                sink.accept(new Figures(trivial, one, sequential / parallel));
            }
        }
    }

    /**
     * CPython's {@code pool_start}: milliseconds from nothing to a fresh {@code ProcessPool(2)}'s first answer, a map
     * of 100 ints (what a short script pays); closing is not timed, as in the peer.
     */
    static double startToFirstAnswerMillis() {
        List<Integer> hundred = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        long start = System.nanoTime();
        try (ProcessPool pool = ProcessPool.create(2)) {
            check(pool.map(PoolScenarios::square, hundred).get(99) == 99 * 99);
            return (System.nanoTime() - start) / 1e6;
        }
    }

    private static void check(boolean condition) {
        if (!condition) {
            throw new IllegalStateException("the pool computed a wrong result");
        }
    }
}
