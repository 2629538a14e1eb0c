package dev.gil.multiprocess.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildCollectorTest {

    @Test
    void ourCollectorIsAddedWhenTheUserNamesNone() {
        List<String> options = List.of("-Xmx64m", "-XX:+UseStringDeduplication", "-XX:+UseDynamicNumberOfGCThreads",
                "-XX:-UseGCOverheadLimit", "-XX:+UseGC", "-XX:+Use-G1GC", "-XX:UseG1GC", "-XX:+UseLargePages");
        assertThat(ChildCollector.optionsFor(options, Map.of("JAVA_TOOL_OPTIONS", "-Xss1m")))
                .containsExactly("-XX:+UseSerialGC");
    }

    @Test
    void aCollectorNamedInTheOptionsIsTheUsers() {
        for (String option : List.of("-XX:+UseZGC", "-XX:+UseParallelGC", "-XX:+UseShenandoahGC", "-XX:+UseG1GC",
                "-XX:-UseSerialGC", "-XX:+UseEpsilonGC")) {
            assertThat(ChildCollector.optionsFor(List.of("-Xmx64m", option), Map.of())).as(option).isEmpty();
        }
    }

    @Test
    void aCollectorInTheInheritedJvmOptionVariablesIsTheUsers() {
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            assertThat(ChildCollector.optionsFor(List.of(), Map.of(variable, "  -Xmx1g\t-XX:+UseParallelGC ")))
                    .as(variable).isEmpty();
        }
        assertThat(ChildCollector.optionsFor(List.of(), Map.of("SOMETHING_ELSE", "-XX:+UseParallelGC")))
                .containsExactly("-XX:+UseSerialGC");
    }

    @Test
    void theDefaultsPutTheCollectorBeforeTheCheapFlags() {
        assertThat(ChildLauncher.defaultJvmOptions(List.of(), Map.of()))
                .containsExactly("-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto");
        assertThat(ChildLauncher.defaultJvmOptions(List.of("-XX:+UseParallelGC"), Map.of()))
                .containsExactly("-XX:-UsePerfData", "-Xshare:auto");
    }
}
