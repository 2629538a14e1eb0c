package dev.gil.examples;

import dev.gil.python.PythonGil;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's claims, checked on the figures of one {@code pythons} run: each program's result line on CPython, on
 * Jython with no lock and on Jython under gil4j, read back with the patterns the programs print. A figure that is
 * missing (no {@code python3}, a scheduler not asked for) makes its claim "n/a", never "met".
 */
final class PythonClaims {
    static final String CPYTHON = "CPython (its GIL)";
    static final String NO_LOCK = "Jython, no lock";

    /**
     * The column of a run under gil4j's lock with this scheduler; {@code pythons} names its columns with it.
     *
     * @param gil the scheduler choice
     * @return the column's name
     */
    static String column(PythonGil gil) {
        return "gil4j " + gil.option();
    }

    private static final Pattern SPEED_UP = Pattern.compile("speed-up ([0-9.]+)x");
    private static final Pattern LOST_CALL = Pattern.compile("c = c \\+ one\\(\\) lost (\\d+)");
    private static final Pattern LOST_INCREMENT = Pattern.compile("c \\+= 1 lost (\\d+)");
    private static final Pattern P50 = Pattern.compile("p50 (-?\\d+) us");

    private PythonClaims() {}

    static void print(Map<String, Map<String, String>> results, PrintStream out) {
        String interval = column(PythonGil.SWITCH_INTERVAL);
        String io = column(PythonGil.IO_PRIORITY);
        Map<String, String> cpu = results.get("cpu_bound.py");
        Map<String, String> ioBound = results.get("io_bound.py");
        Map<String, String> race = results.get("race.py");
        Map<String, String> convoy = results.get("convoy.py");
        out.println("claims, on this run's figures:");
        claim(out, "CPU-bound, 2 threads / 1, Jython with no lock >= 1.4x", value(cpu, NO_LOCK, SPEED_UP),
                v -> v >= 1.4);
        claim(out, "CPU-bound, 2 threads / 1, under switchInterval(5 ms) 0.9-1.05x (CPython: "
                + text(value(cpu, CPYTHON, SPEED_UP)) + "x)", value(cpu, interval, SPEED_UP), v -> v >= 0.9 && v <= 1.05);
        for (String column : new String[] {CPYTHON, NO_LOCK, interval}) {
            claim(out, "I/O-bound, 8 threads sleeping >= 6x, " + column, value(ioBound, column, SPEED_UP),
                    v -> v >= 6);
        }
        for (String column : new String[] {CPYTHON, NO_LOCK, interval}) {
            claim(out, "race c = c + one() loses updates, " + column, value(race, column, LOST_CALL), v -> v > 0);
        }
        OptionalDouble lost = value(race, interval, LOST_INCREMENT);
        out.printf(Locale.ROOT, "  %-8s %s%n", "reported", "c += 1 under switchInterval lost " + text(lost)
                + " (CPython " + text(value(race, CPYTHON, LOST_INCREMENT)) + ", Jython with no lock "
                + text(value(race, NO_LOCK, LOST_INCREMENT)) + "): polls sit at loop back-edges and function "
                + "entries, none between the read and the write of c += 1");
        OptionalDouble cpythonConvoy = value(convoy, CPYTHON, P50);
        claim(out, "convoy p50 under switchInterval 0.7-1.3x CPython's (" + text(cpythonConvoy) + " us)",
                ratio(value(convoy, interval, P50), cpythonConvoy), v -> v >= 0.7 && v <= 1.3);
        claim(out, "convoy p50 under ioPriority <= 1/20 of CPython's", ratio(value(convoy, io, P50), cpythonConvoy),
                v -> v <= 1.0 / 20);
    }

    private interface Check {
        boolean met(double value);
    }

    private static void claim(PrintStream out, String claim, OptionalDouble figure, Check check) {
        String verdict = figure.isEmpty() ? "n/a" : check.met(figure.getAsDouble()) ? "met" : "MISSED";
        out.printf(Locale.ROOT, "  %-8s %s: %s%n", verdict, claim, text(figure));
    }

    private static OptionalDouble value(Map<String, String> row, String column, Pattern pattern) {
        String line = row == null ? null : row.get(column);
        if (line == null) {
            return OptionalDouble.empty();
        }
        Matcher matcher = pattern.matcher(line);
        return matcher.find() ? OptionalDouble.of(Double.parseDouble(matcher.group(1))) : OptionalDouble.empty();
    }

    private static OptionalDouble ratio(OptionalDouble ours, OptionalDouble theirs) {
        return ours.isEmpty() || theirs.isEmpty() || theirs.getAsDouble() <= 0 ? OptionalDouble.empty()
                : OptionalDouble.of(ours.getAsDouble() / theirs.getAsDouble());
    }

    private static String text(OptionalDouble figure) {
        if (figure.isEmpty()) {
            return "n/a";
        }
        double value = figure.getAsDouble();
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : "%.3g", value);
    }
}
