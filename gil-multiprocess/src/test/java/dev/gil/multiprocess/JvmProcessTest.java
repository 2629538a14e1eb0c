package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmProcessTest {

    private static JvmProcess run(JvmProcess process) throws InterruptedException {
        process.start();
        assertThat(process.join(Duration.ofMinutes(1))).as("%s ended", process.name()).isTrue();
        return process;
    }

    @Test
    void theTargetRunsInAnotherJvmAndExitsWithZero(@TempDir Path dir) throws Exception {
        String marker = dir.resolve("pid").toString();
        JvmProcess pr1 = new JvmProcess(() -> {
            Files.writeString(Path.of(marker), String.valueOf(ProcessHandle.current().pid()));
        });
        assertThat(pr1.exitCode()).isEmpty();
        assertThat(pr1.isAlive()).isFalse();
        pr1.start();
        long pid = pr1.pid();
        pr1.join();
        assertThat(pr1.exitCode()).hasValue(0);
        assertThat(pr1.isAlive()).isFalse();
        assertThat(pr1.failure()).isEmpty();
        assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(Files.readString(Path.of(marker))).isEqualTo(String.valueOf(pid));
        pr1.close();
    }

    @Test
    void anUncaughtExceptionGivesExitCodeOneAndComesBackWithItsStack() throws Exception {
        JvmProcess process = run(new JvmProcess(Targets::fail));
        assertThat(process.exitCode()).hasValue(1);
        assertThat(process.failure().orElseThrow()).isInstanceOf(IllegalStateException.class)
                .hasMessage("boom in the child");
        assertThat(process.failure().get().getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("fail"));
        assertThatThrownBy(process::result).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exit code 1");
    }

    @Test
    void aNonSerializableExceptionComesBackAsAChildExceptionWithTheOriginalClassName() throws Exception {
        JvmProcess process = run(new JvmProcess(Targets::failUnserializably));
        assertThat(process.exitCode()).hasValue(1);
        assertThat(process.failure().orElseThrow()).isInstanceOf(ChildException.class).hasMessage("cannot cross");
        ChildException failure = (ChildException) process.failure().get();
        assertThat(failure.originalClassName()).isEqualTo(Targets.Unserializable.class.getName());
        assertThat(failure.getStackTrace()).anyMatch(f -> f.getMethodName().equals("failUnserializably"));
    }

    @Test
    void systemExitCodesArePassedThroughAndTellAnExit137FromASigkill() throws Exception {
        for (int code : new int[] {0, 1, 8, 137, 143}) { // 143 is also what a SIGTERM'd JVM exits with
            JvmProcess process = run(new JvmProcess(() -> System.exit(code)));
            assertThat(process.exitCode()).as("System.exit(%d)", code).hasValue(code);
        }
    }

    @Test
    void terminateGivesMinusFifteenAndKillMinusNine() throws Exception {
        for (boolean hard : new boolean[] {false, true}) {
            Pipe pipe = Pipe.open();
            Connection ready = pipe.right();
            JvmProcess process = new JvmProcess(() -> Targets.readyThenSleep(ready));
            process.start();
            assertThat(pipe.left().recv()).isEqualTo("ready");
            assertThat(process.isAlive()).isTrue();
            assertThat(process.join(Duration.ZERO)).as("join(0) of a live child returns at once").isFalse();
            assertThat(process.join(Duration.ofSeconds(-1))).isFalse();
            if (hard) {
                process.kill();
            } else {
                process.terminate();
            }
            process.join();
            assertThat(process.exitCode()).hasValue(hard ? -9 : -15);
            pipe.left().close();
        }
    }

    @Test
    void aSigtermFromElsewhereReadsMinusFifteenAsInPython() throws Exception {
        Pipe pipe = Pipe.open();
        Connection ready = pipe.right();
        try (JvmProcess process = new JvmProcess(() -> Targets.readyThenSleep(ready))) {
            process.start();
            assertThat(pipe.left().recv()).isEqualTo("ready");
            assertThat(ProcessHandle.of(process.pid()).orElseThrow().destroy()).as("SIGTERM sent").isTrue();
            process.join();
            assertThat(process.exitCode()).as("not terminate(): the child tells its parent").hasValue(-15);
        }
        pipe.left().close();
    }

    @Test
    void aCallablesResultIsAvailableAfterJoin() throws Exception {
        JvmProcess process = run(new JvmProcess(Targets::fortyTwo));
        assertThat(process.result()).isEqualTo(42L);
    }

    @Test
    void capturedValuesAndResultsOfEveryKindCrossBothWays() throws Exception {
        int number = 7;
        String word = "seven";
        JvmProcess byReference = run(new JvmProcess(() -> List.of(number, word)));
        assertThat(byReference.result()).as("sent by reference, result serialized").isEqualTo(List.of(7, "seven"));

        List<String> capturedList = List.of("a", "b");
        JvmProcess serialized = run(new JvmProcess(() -> new Object[] {capturedList.size(), capturedList.get(1)}));
        assertThat((Object[]) serialized.result()).as("serialized, result packed").containsExactly(2, "b");
    }

    @Test
    void theCapturingClassIsInitialisedInTheChildBeforeItsTaskRuns() throws Exception {
        // The task is Targets' method, called directly: nothing else would initialise the class that made the lambda.
        JvmProcess process = run(JvmProcess.builder(CapturingWithInitialiser.task()).build());
        assertThat(process.exitCode()).as("%s", process.failure()).hasValue(0);
        assertThat(process.result()).isEqualTo("yes");
    }

    @Test
    void aCapturingClassWhoseInitialiserThrowsFailsTheTaskWithTheCause() throws Exception {
        JvmProcess process = run(JvmProcess.builder(FailsToInitialiseInAChild.task()).build());
        assertThat(process.exitCode()).hasValue(1);
        assertThat(process.failure().orElseThrow()).isInstanceOf(ExceptionInInitializerError.class)
                .hasRootCauseMessage("no initialiser in a child");
    }

    @Test
    void aNonSerializableCaptureFailsAtStartNamingTheType() {
        Object notSerializable = new Object();
        JvmProcess process = new JvmProcess(() -> System.out.println(notSerializable));
        assertThatThrownBy(process::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object").hasMessageContaining("not serializable");
    }

    @Test
    void lifecycleMisuseIsRefused() throws Exception {
        JvmProcess notStarted = new JvmProcess(Targets::nothing);
        assertThatThrownBy(notStarted::pid).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before start()");
        assertThatThrownBy(notStarted::join).isInstanceOf(IllegalStateException.class);

        Pipe pipe = Pipe.open();
        Connection ready = pipe.right();
        JvmProcess live = new JvmProcess(() -> Targets.readyThenSleep(ready));
        live.start();
        pipe.left().recv();
        assertThatThrownBy(live::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");
        assertThatThrownBy(live::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still running");
        live.kill();
        live.join();
        live.close();
        live.close();
        assertThatThrownBy(live::pid).isInstanceOf(IllegalStateException.class).hasMessageContaining("after close()");
        assertThatThrownBy(live::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> JvmProcess.builder(Targets::nothing).name("a").name("b"))
                .isInstanceOf(IllegalStateException.class).hasMessage("name was already set to a");
    }

    @Test
    void childOutputIsForwardedAndNeverCorruptsTheChannel() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        JvmProcess process;
        try {
            process = run(JvmProcess.builder(Targets::noisy).name("noisy").build());
        } finally {
            System.setOut(original);
        }
        assertThat(process.exitCode()).hasValue(0);
        assertThat(process.result()).isEqualTo("intact");
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("line 0 from the child", "line 199 from the child", "raw bytes on fd 1",
                "no newline at the end");
    }

    @Test
    void aThreadDumpOfTheChildGoesToItsStdoutAndNeverCorruptsTheChannel() throws Exception {
        Pipe pipe = Pipe.open();
        Connection control = pipe.right();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        JvmProcess process = new JvmProcess(() -> Targets.readyThenAnswer(control));
        try {
            process.start();
            assertThat(pipe.left().recv()).isEqualTo("ready");
            Process dump = new ProcessBuilder("kill", "-3", String.valueOf(process.pid())).start();
            assertThat(dump.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!captured.toString(StandardCharsets.UTF_8).contains("Full thread dump")) {
                assertThat(System.nanoTime() - deadline).as("the dump reached our stdout").isNegative();
                Thread.onSpinWait();
            }
            pipe.left().send("go");
            process.join();
        } finally {
            System.setOut(original);
        }
        assertThat(process.exitCode()).hasValue(0);
        assertThat(process.result()).isEqualTo("intact after the dump");
    }

    @Test
    void theChildsSlf4jLoggingReachesOurConsole() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run(new JvmProcess(Targets::logThroughSlf4j));
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("WARN", "a warning logged in the child JVM");
    }

    @Test
    void aBadJvmOptionEndsTheChildWithAFailureInsteadOfAHang() throws Exception {
        JvmProcess process = run(JvmProcess.builder(Targets::nothing).jvmOptions("-XX:+NoSuchOptionAtAll").build());
        assertThat(process.exitCode()).isPresent().hasValue(1);
        assertThat(process.failure()).get().asString().contains("exited before it could run the target");
    }

    @Test
    void aChildRunsTheSerialCollectorUnlessToldOtherwise() throws Exception {
        JvmProcess process = run(JvmProcess.builder(Targets::collectors).build());
        assertThat(process.exitCode()).hasValue(0);
        assertThat((String) process.result()).isEqualTo("Copy, MarkSweepCompact");
    }

    @Test
    void aCollectorChosenInTheOptionsOrTheInheritedEnvironmentIsTheOneTheChildRuns() throws Exception {
        // Ours beside the user's would stop the JVM at once: "Multiple garbage collectors selected".
        for (String collector : List.of("-XX:+UseParallelGC", "-XX:+UseSerialGC", "-XX:+UseG1GC")) {
            JvmProcess process = run(JvmProcess.builder(Targets::collectors).jvmOptions(collector).build());
            assertThat(process.exitCode()).as("%s: %s", collector, process.failure()).hasValue(0);
            assertThat((String) process.result()).as(collector).contains(switch (collector) {
                case "-XX:+UseParallelGC" -> "PS Scavenge";
                case "-XX:+UseSerialGC" -> "Copy";
                default -> "G1 Young Generation";
            });
        }
        JvmProcess inherited = run(JvmProcess.builder(Targets::collectors)
                .environment(Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseParallelGC")).build());
        assertThat(inherited.exitCode()).as("%s", inherited.failure()).hasValue(0);
        assertThat((String) inherited.result()).contains("PS Scavenge");
    }

    @Test
    void activeChildrenListsRunningOnes() throws Exception {
        Pipe pipe = Pipe.open();
        Connection ready = pipe.right();
        JvmProcess live = JvmProcess.builder(() -> Targets.readyThenSleep(ready)).daemon(true).build();
        live.start();
        pipe.left().recv();
        assertThat(JvmProcess.activeChildren()).contains(live);
        assertThat(live.toString()).contains("started", "daemon");
        live.kill();
        live.join();
        assertThat(JvmProcess.activeChildren()).doesNotContain(live);
        assertThat(live.toString()).contains("exitcode=-9");
    }

    @Test
    void aWarmStartRunsTheTaskInAJvmBootedAheadOfTime() throws Exception {
        try {
            ProcessContext context = ProcessContext.defaultContext();
            assertThat(context.prepareWarmStandby(Duration.ofMinutes(1))).as("a standby is ready").isTrue();
            assertThat(context.prepareWarmStandby(Duration.ZERO)).as("and stays the one waiting").isTrue();
            Pipe pipe = Pipe.open(false);
            Connection report = pipe.right();
            JvmProcess capturing = run(JvmProcess.builder(() -> report.send(ProcessHandle.current().pid()))
                    .warmStart(true).build());
            assertThat(pipe.left().recv()).as("ran in the standby, with a connection it captured")
                    .isEqualTo(capturing.pid());
            pipe.left().close();
            capturing.close();
            for (int i = 0; i < 3; i++) {
                JvmProcess warm = run(JvmProcess.builder(Targets::fortyTwo).warmStart(true).build());
                assertThat(warm.exitCode()).hasValue(0);
                assertThat(warm.result()).isEqualTo(42L);
                warm.close();
            }
            JvmProcess failing = run(JvmProcess.builder(Targets::fail).warmStart(true).build());
            assertThat(failing.exitCode()).hasValue(1);
            assertThat(failing.failure().orElseThrow()).hasMessage("boom in the child");
        } finally {
            ProcessContext.defaultContext().stopWarmStandby();
        }
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(child -> child.info().command().orElse("").endsWith("java")))
                .as("the waiting JVM is gone").isEmpty();
        assertThatThrownBy(() -> JvmProcess.builder(Targets::nothing).warmStart(true).jvmOptions("-Xmx64m").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("default JVM options");
    }

    @Test
    void whereThereIsNoMkfifoChildrenMeetTheirParentOnAnAfUnixSocket() throws Exception {
        System.setProperty("dev.gil.multiprocess.control", "socket");
        try {
            JvmProcess answers = run(new JvmProcess(Targets::fortyTwo));
            assertThat(answers.result()).isEqualTo(42L);
            JvmProcess exits = run(new JvmProcess(() -> System.exit(8)));
            assertThat(exits.exitCode()).hasValue(8);
            JvmProcess fails = run(new JvmProcess(Targets::fail));
            assertThat(fails.exitCode()).hasValue(1);
            assertThat(fails.failure().orElseThrow()).hasMessage("boom in the child");
        } finally {
            System.clearProperty("dev.gil.multiprocess.control");
        }
    }

    @Test
    void aChildWhoseParentDiedBeforeItsControlPipeWasOpenExitsInsteadOfBlocking(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("nobody-reads.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
        Process gone = new ProcessBuilder("true").start(); // a parent pid that is dead
        gone.waitFor();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.gil.multiprocess.internal.child.ChildMain", "fifo:",
                String.valueOf(gone.pid())).redirectErrorStream(true).start();
        child.getOutputStream().write(("token\n" + fifo + "\n").getBytes(StandardCharsets.UTF_8));
        child.getOutputStream().flush();
        boolean exited = child.waitFor(30, TimeUnit.SECONDS); // opening a FIFO that nobody reads blocks for ever
        if (!exited) {
            child.destroyForcibly();
        }
        assertThat(exited).as("the child noticed its parent was gone").isTrue();
        assertThat(child.exitValue()).isEqualTo(70); // ControlProtocol.PARENT_DIED
    }

    @Test
    void aStandbyThatDiesWhileWaitingIsReplaced() throws Exception {
        try {
            assertThat(ProcessContext.defaultContext().prepareWarmStandby(Duration.ofMinutes(1))).isTrue();
            List<ProcessHandle> waiting = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                    .filter(child -> child.info().command().orElse("").endsWith("java")).toList();
            assertThat(waiting).as("the standby is our only child JVM").hasSize(1);
            waiting.get(0).destroyForcibly();
            waiting.get(0).onExit().get(30, TimeUnit.SECONDS);
            ProcessContext context = ProcessContext.defaultContext();
            assertThat(context.prepareWarmStandby(Duration.ZERO)).as("a dead standby is not ready").isFalse();
            assertThat(context.prepareWarmStandby(Duration.ofMinutes(1))).as("and is replaced").isTrue();
            JvmProcess warm = run(JvmProcess.builder(Targets::fortyTwo).warmStart(true).build());
            assertThat(warm.result()).isEqualTo(42L);
            warm.close();
        } finally {
            ProcessContext.defaultContext().stopWarmStandby();
        }
    }

    @Test
    void aChildWhoseParentIsKilledExitsOnItsOwn(@TempDir Path dir) throws Exception {
        // parent (this JVM) -> middle JVM -> grandchild; kill -9 the middle one, the grandchild must follow.
        String pidFile = dir.resolve("grandchild.pid").toString();
        JvmProcess middle = new JvmProcess(() -> {
            JvmProcess grandchild = new JvmProcess(Targets::sleepForever);
            grandchild.start();
            Files.writeString(Path.of(pidFile), String.valueOf(grandchild.pid()));
            Targets.sleepForever();
        });
        middle.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!Files.exists(Path.of(pidFile)) || Files.readString(Path.of(pidFile)).isEmpty()) {
            assertThat(System.nanoTime() - deadline).as("the grandchild started").isNegative();
            Thread.onSpinWait();
        }
        long grandchildPid = Long.parseLong(Files.readString(Path.of(pidFile)));
        ProcessHandle grandchild = ProcessHandle.of(grandchildPid).orElseThrow();
        middle.kill();
        middle.join();
        grandchild.onExit().get(30, TimeUnit.SECONDS); // throws TimeoutException if it became an orphan
        assertThat(grandchild.isAlive()).isFalse();
    }
}
