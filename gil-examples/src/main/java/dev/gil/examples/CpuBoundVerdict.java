package dev.gil.examples;

import java.util.List;
import java.util.Locale;

/**
 * Turns the CPU-bound measurements into the tour's verdict line on the claim "only one CPU works". The claim is
 * confirmed when GIL threads keep about one CPU busy while unlocked threads and processes use more. When the machine
 * itself could not give two CPUs (one CPU, or another program using the second), the verdict says so instead of
 * calling the claim false: only GIL threads that used two CPUs would contradict it.
 */
final class CpuBoundVerdict {
    /** Above this many CPUs busy, work ran on more than one CPU at a time. */
    private static final double MORE_THAN_ONE_CPU = 1.3;

    private CpuBoundVerdict() {}

    static String of(List<CpuBoundExample.Row> rows, int cpus) {
        CpuBoundExample.Row gil = rows.get(1);
        CpuBoundExample.Row free = rows.get(2);
        CpuBoundExample.Row processes = rows.get(3);
        String figures = String.format(Locale.ROOT, "2 GilThreads ran %.2fx the speed of 1 (CPUs busy %.2f); 2 "
                        + "processes ran %.2fx (CPUs busy %.2f, JVM start-up included); 2 threads without any lock "
                        + "%.2fx (CPUs busy %.2f)", gil.speedup(), gil.cpusBusy(), processes.speedup(),
                processes.cpusBusy(), free.speedup(), free.cpusBusy());
        if (cpus < 2) {
            return "cannot be shown with 1 CPU: nothing runs in parallel here, with or without the GIL. " + figures;
        }
        if (gil.cpusBusy() > MORE_THAN_ONE_CPU && gil.speedup() > MORE_THAN_ONE_CPU) {
            return "NOT confirmed: " + figures;
        }
        if (free.cpusBusy() < MORE_THAN_ONE_CPU) {
            return String.format(Locale.ROOT, "not shown on this machine: 2 threads without any lock got only %.2f "
                    + "CPUs (another program is using the others), so nothing here could run in parallel. %s",
                    free.cpusBusy(), figures);
        }
        if (processes.speedup() < MORE_THAN_ONE_CPU) {
            return "not shown on this machine: the processes did not run faster than one thread, although unlocked "
                    + "threads did. " + figures;
        }
        return "confirmed: " + figures;
    }
}
