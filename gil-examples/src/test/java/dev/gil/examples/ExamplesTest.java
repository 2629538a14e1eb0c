package dev.gil.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    void theSameMapCallRunsOnAProcessPoolAndOnACluster() {
        List<ClusterExample.Row> rows = ClusterExample.measure(80_000);
        assertThat(rows).extracting(ClusterExample.Row::how).containsExactly("1 thread", "ProcessPool.create(2)",
                "ClusterPool.builder().localMembers(2).build()");
        assertThat(rows).allMatch(row -> row.seconds() > 0);
    }

    @Test
    void theAgentLetsTheSecondThreadInBeforeTheLoopEnds() throws Exception {
        List<AutoCheckpointExample.Row> rows = AutoCheckpointExample.measure(java.time.Duration.ofMillis(200));
        AutoCheckpointExample.Row without = rows.get(0);
        AutoCheckpointExample.Row with = rows.get(1);
        assertThat(without.agent()).isFalse();
        assertThat(with.agent()).isTrue();
        // Without the agent the first thread holds the lock through its whole 200 ms loop, by construction.
        assertThat(without.secondWaitedMillis()).isGreaterThanOrEqualTo(190);
        assertThat(with.secondWaitedMillis()).isLessThan(190);
        assertThat(with.handoffs()).isGreaterThan(without.handoffs());
    }

    @Test
    void ioBoundThreadsOverlapUnderTheGil() throws Exception {
        IoBoundExample.Result result = IoBoundExample.measure(8, 4, 20);
        assertThat(result.speedup()).as("8 threads blocking in allowThreads, %s", result).isGreaterThan(4);
    }

    @Test
    void updatesAreLostWithoutALockAndWithASwitchPointUnderTheGilButNotWithAMutex() throws Exception {
        List<RaceConditionExample.Row> rows = RaceConditionExample.measure(4, 10_000_000);
        assertThat(rows.get(1).lost()).as("GIL, no switch point inside c = c + 1").isZero();
        assertThat(rows.get(3).lost()).as("GIL and a mutex").isZero();
        // Whether a data race loses updates is statistical: it must in one of three tries.
        for (int attempt = 0; attempt < 3; attempt++) {
            if (rows.get(0).lost() > 0 && rows.get(2).lost() > 0) {
                return;
            }
            rows = RaceConditionExample.measure(4, 10_000_000);
        }
        throw new AssertionError("no lost update in three tries: " + rows);
    }

    @Test
    void aRefCountRaceLeaksOrFreesEarlyOnlyWithoutSynchronization() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "a data race needs two CPUs to show reliably");
        List<RefCountRaceExample.Row> rows = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            rows = RefCountRaceExample.measure(50, 20_000);
            for (RefCountRaceExample.Row safe : rows.subList(1, rows.size())) {
                assertThat(safe.leaked() + safe.freedEarly()).as("%s", safe).isZero();
            }
            if (rows.get(0).leaked() + rows.get(0).freedEarly() > 0) {
                return;
            }
        }
        throw new AssertionError("an unsynchronized count survived three races: " + rows);
    }

    @Test
    void theQueuedBoothIsFairerThanThePhoneBooth() throws Exception {
        List<PhoneBoothExample.Row> rows = PhoneBoothExample.measure(4, java.time.Duration.ofMillis(150));
        PhoneBoothExample.Row unfair = rows.get(0);
        PhoneBoothExample.Row fair = rows.get(2);
        assertThat(fair.fairness()).as("fair %s vs unfair %s", fair, unfair).isGreaterThan(0.9);
        assertThat(java.util.Arrays.stream(fair.callsPerCaller()).min().orElse(0)).isPositive();
    }

    @Test
    void aMutexPerObjectCostsAndDeadlocksUnlessTakenInOneOrder() throws Exception {
        PerObjectMutexExample.Result result = PerObjectMutexExample.measure(500_000, 20_000);
        assertThat(result.deadlockFoundMillis()).as("ThreadMXBean found the deadlock").isNotNegative();
        assertThat(result.orderedMoves()).isEqualTo(40_000);
        assertThat(result.perObjectLockNanos()).isGreaterThan(result.unsynchronizedNanos());
    }

    @Test
    void ioPriorityEndsTheConvoy() throws Exception {
        List<ConvoyExample.Row> rows = null;
        for (int attempt = 0; attempt < 3; attempt++) { // latencies on a shared machine: one of three tries
            rows = ConvoyExample.measure(java.time.Duration.ofMillis(300));
            if (rows.get(1).p50Micros() * 10 < rows.get(0).p50Micros()) {
                return;
            }
        }
        throw new AssertionError("ioPriority was not 10x faster than the switch interval in 3 tries: " + rows);
    }

    @Test
    void tourRunsAndConfirmsTheClaims() {
        // Several claims are statistical (speedups, races) on a shared machine: a second tour may confirm what the
        // first could not, and the test says which claim failed if neither does.
        String output = "";
        for (int attempt = 0; attempt < 2; attempt++) {
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            PrintStream original = System.out;
            int exit;
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                exit = GilExamples.commandLine().execute("tour", "--quick");
            } finally {
                System.setOut(original);
            }
            output = captured.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(output).isZero();
            assertThat(output).contains("do_work ran in th1 holding the GIL: true", "the GIL is free again: true",
                    "do_work ran in process", "pr1 joined: exit code 0", "2 GilThreads (one GIL)",
                    "2 JvmProcesses (a GIL each)", "I/O-bound", "Race condition", "phone booth", "Reference counting",
                    "deadlocked", "convoy");
            if (!output.contains("NOT confirmed")) {
                return;
            }
        }
        assertThat(output).as("a claim was not confirmed in two tours").doesNotContain("NOT confirmed");
    }

    @Test
    void theReportIsWellFormedSelfContainedAndRefusesAnUnwritableDirectory(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        PrintStream original = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = GilExamples.commandLine().execute("tour", "--quick", "--report", dir.toString());
        } finally {
            System.setOut(original);
        }
        assertThat(exit).isZero();
        String html = java.nio.file.Files.readString(dir.resolve("index.html"));
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(html.replace("<!DOCTYPE html>", "")
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(html).contains("한 CPU만 일함", "Only one CPU works", "phone booth", "<svg", "confirmed")
                .doesNotContain("src=", "href=", "<script");
        assertThat(java.nio.file.Files.list(dir)).hasSize(1); // nothing half-written left behind

        PrintStream originalErr = System.err;
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            java.nio.file.Path file = dir.resolve("a-file");
            java.nio.file.Files.writeString(file, "not a directory");
            assertThat(GilExamples.commandLine().execute("tour", "--report", file.toString())).isNotZero();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("cannot write the report");
    }

    @Test
    void unknownSubcommandPrintsUsageAndFails() {
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertThat(GilExamples.commandLine().execute("no-such-example")).isNotZero();
        } finally {
            System.setErr(originalErr);
        }
    }
}
