package dev.gil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples' behaviour and shape. Whether a claim shows on this machine (a speed-up, a lost update, a latency) is
 * the tour's verdict to print, never a test's to assert: it depends on the machine, and {@code verify} must not.
 */
class ExamplesTest {

    @Test
    void theCpuBoundExampleMeasuresFourWaysAndSaysWhatItShows() throws Exception {
        List<CpuBoundExample.Row> rows = CpuBoundExample.measure(20_000, 1);
        assertThat(rows).extracting(CpuBoundExample.Row::name).containsExactly("1 thread", "2 GilThreads (one GIL)",
                "2 Java threads (no lock)", "2 JvmProcesses (a GIL each)");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.wallSeconds()).isPositive();
            assertThat(row.speedup()).isPositive();
            assertThat(row.cpusBusy()).isNotNegative();
        });
        assertThat(CpuBoundVerdict.of(rows, 2)).matches("(confirmed|not shown on this machine): .*2 GilThreads.*");
        assertThat(CpuBoundVerdict.of(rows, 1)).startsWith("cannot be shown with 1 CPU");
    }

    @Test
    void theCpuBoundVerdictFollowsTheFigures() {
        List<CpuBoundExample.Row> scaled = List.of(new CpuBoundExample.Row("1 thread", 1, 1, 1),
                new CpuBoundExample.Row("2 GilThreads (one GIL)", 1, 1.0, 1.0),
                new CpuBoundExample.Row("2 Java threads (no lock)", 0.5, 2.0, 2.0),
                new CpuBoundExample.Row("2 JvmProcesses (a GIL each)", 0.55, 1.8, 1.9));
        assertThat(CpuBoundVerdict.of(scaled, 2)).startsWith("confirmed:");
        List<CpuBoundExample.Row> busyMachine = List.of(scaled.get(0), scaled.get(1),
                new CpuBoundExample.Row("2 Java threads (no lock)", 0.95, 1.05, 1.05), scaled.get(3));
        assertThat(CpuBoundVerdict.of(busyMachine, 2)).startsWith("not shown on this machine:")
                .contains("only 1.05 CPUs");
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
        // Without the agent nothing checks the breaker, so the second thread gets in only after the loop: by
        // construction. With it, the loop's own polls hand the lock over while it runs.
        assertThat(without.secondRanBeforeFirstEnded()).as("%s", without).isFalse();
        assertThat(with.secondRanBeforeFirstEnded()).as("%s", with).isTrue();
        assertThat(with.handoffs()).isGreaterThan(without.handoffs());
    }

    @Test
    void ioBoundThreadsRunEveryWait() throws Exception {
        IoBoundExample.Result result = IoBoundExample.measure(8, 4, 5);
        assertThat(result.sequentialSeconds()).as("32 waits of 5 ms, one after another")
                .isGreaterThanOrEqualTo(32 * 0.005);
        assertThat(result.threadedSeconds()).as("4 waits of 5 ms on each thread").isGreaterThanOrEqualTo(4 * 0.005);
    }

    @Test
    void noUpdateIsLostUnderTheGilWithoutASwitchPointOrWithAMutex() throws Exception {
        List<RaceConditionExample.Row> rows = RaceConditionExample.measure(4, 100_000);
        assertThat(rows).extracting(RaceConditionExample.Row::name).containsExactly("Java threads, no lock",
                "GIL, c = c + 1", "GIL, c = c + one()", "GIL + mutex, c = c + one()");
        // Deterministic: with no switch point between read and write, no other thread can run between them.
        assertThat(rows.get(1).lost()).as("GIL, no switch point inside c = c + 1").isZero();
        assertThat(rows.get(3).lost()).as("GIL and a mutex").isZero();
        // Whether the unlocked rows lose updates is the machine's to show: the tour reports it.
        assertThat(rows.get(0).lost()).isNotNegative();
        assertThat(rows.get(2).lost()).isNotNegative();
    }

    @Test
    void synchronizedReferenceCountsNeverLeakOrFreeEarly() throws Exception {
        List<RefCountRaceExample.Row> rows = RefCountRaceExample.measure(10, 2_000);
        assertThat(rows).hasSizeGreaterThanOrEqualTo(4);
        for (RefCountRaceExample.Row safe : rows.subList(1, rows.size())) {
            assertThat(safe.leaked() + safe.freedEarly()).as("%s", safe).isZero();
        }
    }

    @Test
    void everyCallerOfTheQueuedBoothGetsIn() throws Exception {
        List<PhoneBoothExample.Row> rows = PhoneBoothExample.measure(4, java.time.Duration.ofMillis(100));
        assertThat(rows).extracting(PhoneBoothExample.Row::scheduler).hasSize(3);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.callsPerCaller()).hasSize(4);
            assertThat(row.fairness()).isBetween(0.0, 1.0 + 1e-9);
        });
    }

    @Test
    void aMutexPerObjectDeadlocksUnlessTakenInOneOrder() throws Exception {
        PerObjectMutexExample.Result result = PerObjectMutexExample.measure(50_000, 20_000);
        assertThat(result.deadlockFoundMillis()).as("ThreadMXBean found the deadlock").isNotNegative();
        assertThat(result.orderedMoves()).isEqualTo(40_000);
    }

    @Test
    void theConvoyIsMeasuredUnderThreeSchedulers() throws Exception {
        List<ConvoyExample.Row> rows = ConvoyExample.measure(java.time.Duration.ofMillis(100));
        assertThat(rows).hasSize(3).allSatisfy(row -> {
            assertThat(row.requests()).isPositive();
            assertThat(row.p99Micros()).isGreaterThanOrEqualTo(row.p50Micros());
        });
    }

    @Test
    void theTourRunsEverySectionAndGivesAVerdictForEachClaim() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = GilExamples.commandLine().execute("tour", "--quick");
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output).contains("do_work ran in th1 holding the GIL: true", "the GIL is free again: true",
                "do_work ran in process", "pr1 joined: exit code 0", "2 GilThreads (one GIL)",
                "2 JvmProcesses (a GIL each)", "I/O-bound", "Race condition", "phone booth", "Reference counting",
                "deadlocked", "convoy", "sized from this machine");
        // One verdict per claim, each either a finding or a reason the machine cannot show it: never a bare failure.
        List<String> verdicts = output.lines().filter(line -> line.startsWith("   => ")).toList();
        assertThat(verdicts).as(output).hasSize(7).allSatisfy(verdict ->
                assertThat(verdict).doesNotContain("NOT confirmed"));
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
    void thePythonCommandRunsASeedProgramUnderTheChosenLockAndRefusesAnUnknownChoice() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream original = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        int exit;
        int refused;
        try {
            exit = GilExamples.commandLine().execute("python", "threads.py", "--gil", "fair");
            refused = GilExamples.commandLine().execute("python", "threads.py", "--gil", "gvl");
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
        assertThat(exit).as(captured.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("do_work ran in th1", "th1 joined");
        assertThat(refused).isEqualTo(2);
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("no such GIL choice 'gvl'");
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
