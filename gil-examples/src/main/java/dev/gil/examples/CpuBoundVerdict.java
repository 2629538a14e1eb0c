package dev.gil.examples;

import java.util.List;

/** Turns the CPU-bound measurements into the tour's verdict line on the claim "only one CPU works". */
final class CpuBoundVerdict {
    private CpuBoundVerdict() {}

    static String of(List<CpuBoundExample.Row> rows) {
        double gil = rows.get(1).speedup();
        double free = rows.get(2).speedup();
        boolean confirmed = gil < 1.3 && (Runtime.getRuntime().availableProcessors() < 2 || free > 1.3);
        return String.format("%s: 2 GilThreads ran %.2fx the speed of 1 (CPUs busy %.2f); "
                        + "2 threads without the lock ran %.2fx (CPUs busy %.2f)",
                confirmed ? "confirmed" : "NOT confirmed", gil, rows.get(1).cpusBusy(), free, rows.get(2).cpusBusy());
    }
}
