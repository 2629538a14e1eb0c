package dev.gil.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent in JVMs of their own (an agent must be there from the start): two {@code GilThread}s, one spinning in a
 * loop with no checkpoint() call. Without the agent the other waits until the loop ends; with it, the other runs
 * within the switch interval.
 */
class ForkedAgentTest {

    /** The same {@code -javaagent} option with other patterns, which it would refuse to build. */
    private static String withPatterns(String option, String patterns) {
        return option.substring(0, option.indexOf('=') + 1) + patterns;
    }

    /** Runs the scenario and returns its {@code key=value} lines. */
    private static Map<String, String> scenario(String agentOption, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        if (agentOption != null) {
            command.add(agentOption);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "example.cpu.AgentScenario"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0 && !line.contains(" ")) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
            if (line.startsWith("unmatched=") || line.startsWith("instrumented=")) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        values.put("output", output);
        return values;
    }

    @Test
    void withoutTheAgentTheOtherThreadWaitsForTheLoopToEnd() throws Exception {
        Map<String, String> run = scenario(null);
        assertThat(run.get("other-ran-first")).as(run.get("output")).isEqualTo("false");
    }

    @Test
    void withTheAgentTheOtherThreadRunsWhileTheLoopSpinsAndResultsAreUnchanged() throws Exception {
        Map<String, String> plain = scenario(null);
        Map<String, String> agent = scenario(GilAgent.javaagentOption("include=example.*"));
        assertThat(agent.get("other-ran-first")).as(agent.get("output")).isEqualTo("true");
        assertThat(agent.get("checksum")).isEqualTo(plain.get("checksum"));
        assertThat(agent.get("instrumented")).contains("example.cpu.Spin", "example.cpu.AgentScenario");
        assertThat(agent.get("unmatched")).isEqualTo("[]");
    }

    @Test
    void twoLocksEachHandOverAtTheirOwnPollsWithNoRegistration() throws Exception {
        Map<String, String> run = scenario(GilAgent.javaagentOption("include=example.*"), "two-locks");
        // About 400 switches are expected per lock at a 5 ms interval; 20 shows the polls reach both locks.
        assertThat(Long.parseLong(run.get("switches-a"))).as(run.get("output")).isGreaterThanOrEqualTo(20);
        assertThat(Long.parseLong(run.get("switches-b"))).as(run.get("output")).isGreaterThanOrEqualTo(20);
    }

    @Test
    void withoutTheAgentEachLockChangesHandsOnlyWhenALoopEnds() throws Exception {
        Map<String, String> run = scenario(null, "two-locks");
        // Each lock changes hands only when one thread's whole loop has ended: at most twice (first owner, second).
        assertThat(Long.parseLong(run.get("switches-a"))).as(run.get("output")).isLessThanOrEqualTo(2);
        assertThat(Long.parseLong(run.get("switches-b"))).as(run.get("output")).isLessThanOrEqualTo(2);
    }

    @Test
    void excludedPackagesAreLeftAloneAndAPatternThatMatchesNothingIsReported() throws Exception {
        Map<String, String> run = scenario(
                GilAgent.javaagentOption("include=example.*,com.nowhere.*;exclude=example.excluded.*"), "excluded");
        assertThat(run.get("other-ran-first")).as(run.get("output")).isEqualTo("false");
        assertThat(run.get("instrumented")).contains("example.cpu.Spin").doesNotContain("ExcludedSpin");
        assertThat(run.get("unmatched")).isEqualTo("[com.nowhere.*]");
        assertThat(run.get("output")).contains("include pattern 'com.nowhere.*' matched no class");
    }

    @Test
    void installAttachesAtRunTimeAndRetransformsClassesAlreadyLoaded() throws Exception {
        Map<String, String> run = scenario("-Djdk.attach.allowAttachSelf=true", "attach");
        assertThat(run.get("other-ran-first")).as(run.get("output")).isEqualTo("true");
        assertThat(run.get("instrumented")).contains("example.cpu.Spin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fair", "unfair", "ioPriority", "eventuallyFair", "switchInterval"})
    void everyBuiltInSchedulerGetsTheLockHandedOver(String scheduler) throws Exception {
        Map<String, String> run = scenario(GilAgent.javaagentOption("include=example.*"),
                "scheduler=" + scheduler);
        assertThat(run.get("other-ran-first")).as(run.get("output")).isEqualTo("true");
    }

    @Test
    void startingTheAgentTwiceInstrumentsOnce() throws Exception {
        Map<String, String> run = scenario(GilAgent.javaagentOption("include=example.*"), "attach");
        assertThat(run.get("other-ran-first")).as(run.get("output")).isEqualTo("true");
        assertThat(run.get("output")).contains("already running");
        assertThat(run.get("checksum")).isEqualTo(scenario(null).get("checksum"));
    }

    @Test
    void installWhereTheJvmForbidsItSaysWhatToDoInstead() throws Exception {
        Map<String, String> run = scenario(null, "attach");
        assertThat(run.get("refused")).as(run.get("output")).isEqualTo("true");
    }

    @Test
    void aBadArgumentStopsTheJvmWithAMessageNamingIt() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                withPatterns(GilAgent.javaagentOption("include=example.*"), "include=java.util.*"), "-cp",
                System.getProperty("java.class.path"),
                "example.cpu.AgentScenario").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(output).contains("include pattern 'java.util.*'");
    }
}
