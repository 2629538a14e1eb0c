package dev.gil.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs JMH benchmarks with short iterations, so that they fit in the comparison: one sample per measured iteration,
 * keyed by the benchmark's method name and its parameters ({@code oneThread mode=ATOMIC}). The full-length runs are
 * the {@code jmh} command's.
 */
final class JmhRows {
    private JmhRows() {}

    /**
     * Runs the benchmarks {@code include} selects.
     *
     * @param quick in this JVM, one short iteration (a smoke run); else a fork, 3 warm-up and 5 measured iterations
     * @param jvmArgs extra options for the forked JVM (ignored when quick)
     */
    static Map<String, Samples> run(String include, boolean quick, String... jvmArgs) throws RunnerException {
        return run(include, quick, 1, jvmArgs);
    }

    /**
     * Runs the benchmarks {@code include} selects, in {@code forks} forks each (one JVM when quick); the samples are
     * the measured iterations of every fork.
     */
    static Map<String, Samples> run(String include, boolean quick, int forks, String... jvmArgs)
            throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().include(include)
                .forks(quick ? 0 : forks)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.milliseconds(quick ? 50 : 300))
                .measurementIterations(quick ? 1 : 5).measurementTime(TimeValue.milliseconds(quick ? 50 : 300))
                .verbosity(VerboseMode.SILENT);
        if (!quick && jvmArgs.length > 0) {
            options.jvmArgsAppend(jvmArgs);
        }
        Map<String, Samples> rows = new LinkedHashMap<>();
        for (RunResult result : new Runner(options.build()).run()) {
            String benchmark = result.getParams().getBenchmark();
            StringBuilder key = new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.') + 1));
            for (String param : result.getParams().getParamsKeys()) {
                key.append(' ').append(param).append('=').append(result.getParams().getParam(param));
            }
            List<Double> scores = new ArrayList<>();
            for (BenchmarkResult fork : result.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    scores.add(iteration.getPrimaryResult().getScore());
                }
            }
            Samples samples = new Samples(scores.size());
            scores.forEach(samples::add);
            rows.put(key.toString(), samples);
        }
        return rows;
    }
}
