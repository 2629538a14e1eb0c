package dev.gil.benchmarks;

import dev.gil.benchmarks.jmh.CheckpointPartner;
import dev.gil.core.GilTrace;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;

/**
 * What timings and a trace cost a contended handoff, measured in pairs: short batches of the uninstrumented lock and
 * of the instrumented one, alternating, back to back in one JVM; within each pair the ratio of the two median batches.
 * Each JMH fork of a handoff benchmark lands in its own steady state (which CPUs the two threads share with the
 * machine's other tenants), 20% apart here and sometimes 4×, which drowns a 5% effect; batches a few milliseconds
 * apart see the same machine, and a median of ten ignores the odd batch caught in a change of state.
 */
final class InstrumentationOverhead {
    /** Batches of each setting in a pair. */
    private static final int BATCHES = 10;

    private InstrumentationOverhead() {}

    /** Per-pair figures of one instrumentation against none. */
    record Pairs(Samples instrumented, Samples plain, Samples ratios) {}

    /**
     * @param instrumentation "timings" or "trace"
     */
    static Pairs measure(String instrumentation, int pairs, int rounds) throws InterruptedException {
        Samples instrumented = new Samples(pairs);
        Samples plain = new Samples(pairs);
        Samples ratios = new Samples(pairs);
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            nanosPerRoundTrip("none", rounds);
            nanosPerRoundTrip(instrumentation, rounds);
        }
        for (int pair = 0; pair < pairs; pair++) {
            Samples withBatches = new Samples(BATCHES);
            Samples withoutBatches = new Samples(BATCHES);
            for (int batch = 0; batch < BATCHES; batch++) {
                boolean plainFirst = (pair + batch) % 2 == 0; // neither always runs first
                double first = nanosPerRoundTrip(plainFirst ? "none" : instrumentation, rounds / BATCHES);
                double second = nanosPerRoundTrip(plainFirst ? instrumentation : "none", rounds / BATCHES);
                withoutBatches.add(plainFirst ? first : second);
                withBatches.add(plainFirst ? second : first);
            }
            plain.add(withoutBatches.median());
            instrumented.add(withBatches.median());
            ratios.add(withBatches.median() / withoutBatches.median());
        }
        return new Pairs(instrumented, plain, ratios);
    }

    /** Mean time of a round trip (two handoffs) under {@code fair()}, as in {@code HandoffBenchmark}. */
    static double nanosPerRoundTrip(String instrumentation, int rounds) throws InterruptedException {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair())
                .recordTimings(instrumentation.equals("timings")).build();
        GilTrace trace = instrumentation.equals("trace") ? gil.startTrace(1 << 16) : null;
        double nanos;
        CheckpointPartner partner = CheckpointPartner.start(gil);
        try {
            for (int i = 0; i < rounds / 4; i++) {
                partner.roundTrip();
            }
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                partner.roundTrip();
            }
            nanos = (System.nanoTime() - start) / (double) rounds;
        } finally {
            partner.stop();
        }
        if (trace != null) {
            trace.stop();
        }
        return nanos;
    }
}
