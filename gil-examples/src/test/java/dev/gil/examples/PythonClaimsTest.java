package dev.gil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gil.python.PythonGil;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdicts of {@code pythons}, on fixed result lines: the logic, not this machine's figures. */
class PythonClaimsTest {

    private static Map<String, String> row(String cpython, String free, String interval, String io) {
        Map<String, String> row = new LinkedHashMap<>();
        if (cpython != null) {
            row.put(PythonClaims.CPYTHON, cpython);
        }
        row.put(PythonClaims.NO_LOCK, free);
        row.put(PythonClaims.column(PythonGil.SWITCH_INTERVAL), interval);
        row.put(PythonClaims.column(PythonGil.IO_PRIORITY), io);
        return row;
    }

    private static String print(Map<String, Map<String, String>> results) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PythonClaims.print(results, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Map<String, String>> results(String cpython) {
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        results.put("cpu_bound.py", row(cpython == null ? null : "speed-up 0.95x", "speed-up 1.57x",
                "speed-up 1.20x", "speed-up 0.97x"));
        results.put("io_bound.py", row(cpython == null ? null : "speed-up 7.56x", "speed-up 7.08x", "speed-up 6.53x",
                "speed-up 6.58x"));
        results.put("race.py", row(cpython == null ? null : "c = c + one() lost 5 of 8; c += 1 lost 0",
                "c = c + one() lost 3 of 8; c += 1 lost 2", "c = c + one() lost 0 of 8; c += 1 lost 0",
                "c = c + one() lost 4 of 8; c += 1 lost 0"));
        results.put("convoy.py", row(cpython == null ? null : "p50 5000 us", "p50 131 us", "p50 5581 us",
                "p50 244 us"));
        return results;
    }

    @Test
    void eachClaimIsMetOrMissedOnTheFiguresGiven() {
        String printed = print(results("with CPython"));
        assertThat(printed).contains("met      CPU-bound, 2 threads / 1, Jython with no lock >= 1.4x: 1.57",
                "MISSED   CPU-bound, 2 threads / 1, under switchInterval(5 ms) 0.9-1.05x (CPython: 0.950x): 1.20",
                "met      I/O-bound, 8 threads sleeping >= 6x, gil4j switchInterval: 6.53",
                "MISSED   race c = c + one() loses updates, gil4j switchInterval: 0.00",
                "met      convoy p50 under switchInterval 0.7-1.3x CPython's (5,000 us): 1.12",
                "met      convoy p50 under ioPriority <= 1/20 of CPython's: 0.0488");
    }

    @Test
    void withoutCPythonItsClaimsAreNotApplicableNeverMet() {
        String printed = print(results(null));
        assertThat(printed).contains("n/a      I/O-bound, 8 threads sleeping >= 6x, CPython (its GIL): n/a",
                "n/a      convoy p50 under switchInterval 0.7-1.3x CPython's (n/a us): n/a",
                "met      CPU-bound, 2 threads / 1, Jython with no lock >= 1.4x: 1.57");
    }
}
