package dev.gil.benchmarks;

import java.util.Arrays;

/** Repeated measurements of one figure: median, min and max, as the CPython peer reports them. */
final class Samples {
    private final double[] values;
    private int count;

    Samples(int capacity) {
        values = new double[capacity];
    }

    void add(double value) {
        values[count++] = value;
    }

    double median() {
        double[] sorted = sorted();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    double min() {
        return sorted()[0];
    }

    double max() {
        double[] sorted = sorted();
        return sorted[sorted.length - 1];
    }

    private double[] sorted() {
        if (count == 0) {
            throw new IllegalStateException("no samples");
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /** The median, or NaN when there are no samples. */
    double medianOrNaN() {
        return count == 0 ? Double.NaN : median();
    }

    /** The samples as a JSON array. */
    String json() {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",").append(values[i]);
        }
        return out.append(']').toString();
    }

    @Override
    public String toString() {
        return count == 0 ? "n/a" : Report.format(median()) + " [" + Report.format(min()) + "–" + Report.format(max()) + "]";
    }
}
