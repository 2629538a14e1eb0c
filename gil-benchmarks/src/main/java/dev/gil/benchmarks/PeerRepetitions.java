package dev.gil.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPython peer run one repetition at a time, between our own repetitions, so both sides see the same machine
 * weather. Each figure's value is the median over the peer's single-repetition runs.
 */
final class PeerRepetitions {
    private final PythonPeer peer;
    private final Map<String, Samples> figures = new HashMap<>();
    private final Map<String, Integer> runs = new HashMap<>();

    PeerRepetitions(PythonPeer peer) {
        this.peer = peer;
    }

    /**
     * Runs one repetition of the peer's {@code bench}, unless it ran {@code limit} times already.
     *
     * @param extra more arguments for the peer, such as {@code --n 20000000}
     */
    void runOnce(int limit, String bench, String... extra) throws IOException, InterruptedException {
        if (!peer.available() || runs.getOrDefault(bench, 0) >= limit) {
            return;
        }
        runs.merge(bench, 1, Integer::sum);
        List<String> args = new ArrayList<>(List.of(bench, "--reps", "1"));
        args.addAll(List.of(extra));
        for (Map.Entry<String, Double> figure : peer.run(args.toArray(new String[0])).entrySet()) {
            figures.computeIfAbsent(figure.getKey(), name -> new Samples(64)).add(figure.getValue());
        }
    }

    /** The median of a figure over the runs so far; NaN if the peer is unavailable or never reported it. */
    double median(String name) {
        Samples samples = figures.get(name);
        return samples == null ? Double.NaN : samples.median();
    }
}
