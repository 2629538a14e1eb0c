package dev.gil.benchmarks;

import java.util.List;

/**
 * {@code docs/performance.md}: the page {@code compare} writes, so that every figure in it, and in the README's
 * headline table copied from it, comes from one run of one command on one machine.
 */
final class PerformancePage {
    private PerformancePage() {}

    static String render(Report report, List<String> headline, String command, String machine) {
        return String.join("\n",
                "# Performance",
                "",
                "<!-- Written by `compare`: run it again rather than edit this page. -->",
                "",
                "Every figure below comes from one run, on " + java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                        + " (UTC), of",
                "",
                "```sh",
                "java -jar gil-benchmarks/target/gil-benchmarks.jar " + command,
                "```",
                "",
                machine + ". Each ratio is against a baseline measured in the same run, CPython's",
                "(`gil_peer.py`, run between our repetitions) or the Java one the row names. Absolute times belong to",
                "the machine; compare ratios. Every sample is in [`performance/samples.jsonl`](performance/samples.jsonl),",
                "the ratios as a chart in [`performance/ratios.svg`](performance/ratios.svg), and what the rows measure",
                "and what limits them in [`design/performance-notes.md`](design/performance-notes.md).",
                "",
                "## Headline",
                "",
                "The README's table, row for row.",
                "",
                report.headline(headline),
                "## Every figure",
                "",
                "A target's \"met\" reads n/a when it is against CPython and CPython was not there.",
                "",
                report.markdown(),
                "The ratios, on a log scale (green met, red missed, grey reported only):",
                "",
                "![gil4j / baseline, same run](performance/ratios.svg)",
                "");
    }
}
