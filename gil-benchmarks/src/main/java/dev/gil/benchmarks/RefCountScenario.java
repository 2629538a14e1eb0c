package dev.gil.benchmarks;

import dev.gil.benchmarks.jmh.RefCountBenchmark;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Nanoseconds per {@code retain()+release()} pair in every reference-count mode, one thread on its own object: the
 * JMH benchmark {@link RefCountBenchmark#oneThread}, run with short iterations so that it fits in the comparison.
 * One sample per measured iteration.
 */
final class RefCountScenario {
    private RefCountScenario() {}

    static Map<String, Samples> nanosPerPair(boolean quick) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(RefCountBenchmark.class.getName() + ".oneThread")
                .forks(quick ? 0 : 1)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.milliseconds(quick ? 50 : 300))
                .measurementIterations(quick ? 1 : 5).measurementTime(TimeValue.milliseconds(quick ? 50 : 300))
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        Map<String, Samples> byMode = new LinkedHashMap<>();
        for (RunResult result : new Runner(options).run()) {
            String mode = result.getParams().getParam("mode");
            Samples samples = new Samples(16);
            for (IterationResult iteration : result.getBenchmarkResults().iterator().next().getIterationResults()) {
                samples.add(iteration.getPrimaryResult().getScore());
            }
            byMode.put(mode, samples);
        }
        return byMode;
    }
}
