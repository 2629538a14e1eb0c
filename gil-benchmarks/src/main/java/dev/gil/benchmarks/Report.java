package dev.gil.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One Markdown table: figure, unit, gil4j median [min–max], CPython median, baseline, ratio, target, met. */
final class Report {
    private final List<String> rows = new ArrayList<>();

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        } else if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /**
     * Adds a row.
     *
     * @param target human-readable target, or "" for a figure that is only reported
     * @param met null when there is no target
     */
    void row(String figure, String unit, Samples ours, double cpython, String baseline, double ratio, String target,
            Boolean met) {
        rows.add(String.join(" | ", "", figure, unit, ours.toString(), format(cpython), baseline, format(ratio),
                target, met == null ? "" : met ? "yes" : "**no**", "").trim());
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| figure | unit | gil4j median [min–max] | CPython median | baseline (same run) | ratio | target | met |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        rows.forEach(row -> out.append(row).append('\n'));
        return out.toString();
    }
}
