package dev.gil.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExamplesTest {

    @Test
    void onlyOneCpuWorksUnderTheGil() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2,
                "needs 2 CPUs to show that plain threads scale and GIL threads do not");
        // Timing on a shared machine is statistical: the claim must hold in one of three tries.
        List<CpuBoundExample.Row> rows = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            rows = CpuBoundExample.measure(1_000_000, 1);
            if (rows.get(1).speedup() < 1.3 && rows.get(2).speedup() > 1.3 && rows.get(3).speedup() > 1.3) {
                return;
            }
        }
        throw new AssertionError("the claim did not hold in 3 tries; last measurement: " + rows);
    }

    @Test
    void tourRunsAndConfirmsTheClaims() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new GilExamples()).execute("tour", "--quick");
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output).contains("do_work ran in th1 holding the GIL: true", "the GIL is free again: true",
                "do_work ran in process", "pr1 joined: exit code 0", "2 GilThreads (one GIL)",
                "2 JvmProcesses (a GIL each)");
    }

    @Test
    void unknownSubcommandPrintsUsageAndFails() {
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new GilExamples()).execute("no-such-example")).isNotZero();
        } finally {
            System.setErr(originalErr);
        }
    }
}
