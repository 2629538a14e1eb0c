package dev.gil.examples;

import java.util.List;

/** Turns the CPU-bound measurements into the tour's verdict line on the claim "only one CPU works". */
final class CpuBoundVerdict {
    private CpuBoundVerdict() {}

    static String of(List<CpuBoundExample.Row> rows) {
        double gil = rows.get(1).speedup();
        double free = rows.get(2).speedup();
        double processes = rows.get(3).speedup();
        boolean confirmed = gil < 1.3 && (Runtime.getRuntime().availableProcessors() < 2 || processes > 1.3);
        return String.format("%s: 2 GilThreads ran %.2fx the speed of 1 (CPUs busy %.2f); 2 processes ran %.2fx "
                        + "(CPUs busy %.2f, JVM start-up included); 2 threads without any lock %.2fx",
                confirmed ? "confirmed" : "NOT confirmed", gil, rows.get(1).cpusBusy(), processes,
                rows.get(3).cpusBusy(), free);
    }
}
