package dev.gil.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.core.GlobalInterpreterLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Python programs on Jython, with no lock and under each scheduler, each in a child JVM with the agent. */
@Timeout(180)
class PythonRunnerTest {

    private static Path program(String name) throws URISyntaxException, java.io.IOException {
        return SeedPrograms.names().contains(name) ? SeedPrograms.extract(name)
                : Path.of(PythonRunnerTest.class.getResource("/programs/" + name).toURI());
    }

    /** Runs in a child JVM and returns what it printed, after checking its exit status. */
    private static String runInChild(String program, PythonGil gil, int expectedStatus, String... args)
            throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = PythonRunner.runInChildJvm(program(program), gil, args);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(status).as(output).isEqualTo(expectedStatus);
        return output;
    }

    @ParameterizedTest
    @EnumSource(PythonGil.class)
    void threadsThatWaitForEachOtherInEveryWayFinishUnderEveryScheduler(PythonGil gil) throws Exception {
        assertThat(runInChild("blocking.py", gil, 0)).contains("blocking: received 20 items, echo PING, all done");
    }

    @ParameterizedTest
    @EnumSource(PythonGil.class)
    void threadsBlockedInJavaCallsMadeFromPythonLetTheLockGoUnderEveryScheduler(PythonGil gil) throws Exception {
        assertThat(runInChild("java_blocking.py", gil, 0)).contains("java_blocking: consumed 10",
                "java_blocking: all done");
    }

    @ParameterizedTest
    @EnumSource(value = PythonGil.class, names = {"OFF", "UNFAIR", "SWITCH_INTERVAL", "IO_PRIORITY"})
    void thePhoneBoothAndTheConvoyRunAndReport(PythonGil gil) throws Exception {
        // What they report depends on the scheduler and the machine (docs/performance.md has the figures); here only
        // that they finish and report.
        assertThat(runInChild("phone_booth.py", gil, 0, "0.3")).containsPattern(
                "phone_booth: caller A got \\d+% of the counting, caller B \\d+%");
        assertThat(runInChild("convoy.py", gil, 0, "30")).containsPattern(
                "convoy: I/O thread's wait for the GIL after each 1 ms sleep, p50 -?\\d+ us, p90 -?\\d+ us");
    }

    @Test
    void underTheLockAnIncrementWithNoCallInsideLosesNothing() throws Exception {
        // Deterministic: polls sit at loop back-edges and function entries, none between the read and the write of
        // c += 1; how many c = c + one() loses depends on when switches fall, so it is only printed.
        assertThat(runInChild("race.py", PythonGil.SWITCH_INTERVAL, 0, "20000"))
                .contains("c += 1 lost 0");
    }

    @Test
    void underTheLockTheSeedsThreadSnippetRunsAndJoins() throws Exception {
        assertThat(runInChild("threads.py", PythonGil.FAIR, 0))
                .contains("do_work ran in th1", "th1 joined");
    }

    @Test
    void exitStatusesAreThePrograms() throws Exception {
        runInChild("exits.py", PythonGil.UNFAIR, 3, "3");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            runInChild("raises.py", PythonGil.OFF, 1);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("ValueError: raised on purpose");
    }

    @Test
    void withoutALockAProgramRunsInThisJvm() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status = PythonRunner.withoutLock().output(print, print).runSource(
                "from __future__ import print_function\nimport sys\nprint('hello from', sys.argv[1:])", "hello.py",
                "a", "b");
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("hello from ['a', 'b']");
    }

    @Test
    void underALockWithoutTheAgentItRefusesAndSaysHowToStartIt() {
        assertThatThrownBy(() -> PythonRunner.underLock(GlobalInterpreterLock.create()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("-javaagent:")
                .hasMessageContaining("org.python.pycode");
    }

    @Test
    void anUnknownSeedProgramIsNamedWithTheOthers() {
        assertThatThrownBy(() -> SeedPrograms.extract("nope.py")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("race.py");
    }

    @Test
    void aChoiceByAnUnknownNameNamesTheChoices() {
        assertThat(PythonGil.of("switchinterval")).isEqualTo(PythonGil.SWITCH_INTERVAL);
        assertThat(PythonGil.OFF.newLock()).isNull();
        assertThat(PythonGil.FAIR.newLock().toString()).isNotEmpty();
        assertThatThrownBy(() -> PythonGil.of("gil")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("off, unfair, fair, switchInterval, ioPriority, eventuallyFair");
    }
}
