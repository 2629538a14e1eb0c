package dev.gil.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
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
        ChainedOptionsBuilder options = new OptionsBuilder().include(include)
                .forks(quick ? 0 : 1)
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
            Samples samples = new Samples(16);
            for (IterationResult iteration : result.getBenchmarkResults().iterator().next().getIterationResults()) {
                samples.add(iteration.getPrimaryResult().getScore());
            }
            rows.put(key.toString(), samples);
        }
        return rows;
    }
}
