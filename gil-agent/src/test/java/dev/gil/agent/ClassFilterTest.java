package dev.gil.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.agent.internal.ClassFilter;
import org.junit.jupiter.api.Test;

class ClassFilterTest {

    @Test
    void includesExcludesAndTheClassesNeverTouched() {
        ClassFilter filter = ClassFilter.parse("include=com.example.*,org.other.Parser;exclude=com.example.gen.*");
        assertThat(filter.accepts("com.example.Main")).isTrue();
        assertThat(filter.accepts("com.example.deep.Inner$1")).isTrue();
        assertThat(filter.accepts("com.example.gen.Generated")).isFalse();
        assertThat(filter.accepts("com.examples.Main")).isFalse();
        assertThat(filter.accepts("org.other.Parser")).isTrue();
        assertThat(filter.accepts("org.other.ParserHelper")).isFalse();
        assertThat(filter.accepts("java.util.ArrayList")).isFalse();
        assertThat(filter.accepts("dev.gil.core.GlobalInterpreterLock")).isFalse();
        assertThat(filter.unmatchedIncludes()).isEmpty();
    }

    @Test
    void blockingPatternsSelectClassesApartFromPolls() {
        ClassFilter filter = ClassFilter.parse("include=com.example.*;blocking=com.example.io.*,org.lib.Reflect;"
                + "exclude=com.example.io.Raw");
        assertThat(filter.accepts("com.example.io.Reader")).isTrue();
        assertThat(filter.releasesAroundBlocking("com.example.io.Reader")).isTrue();
        assertThat(filter.releasesAroundBlocking("com.example.Main")).isFalse();
        assertThat(filter.accepts("org.lib.Reflect")).isFalse();
        assertThat(filter.releasesAroundBlocking("org.lib.Reflect")).isTrue();
        assertThat(filter.releasesAroundBlocking("com.example.io.Raw")).as("excluded from both").isFalse();
        assertThat(ClassFilter.parse("blocking=org.lib.*").releasesAroundBlocking("org.lib.X")).isTrue();
        assertThat(filter.toString()).contains("blocking=com.example.io.*,org.lib.Reflect");
        assertThatThrownBy(() -> ClassFilter.parse("blocking=java.io.*")).hasMessageContaining("never instruments");
    }

    @Test
    void patternsThatMatchedNothingAreListed() {
        ClassFilter filter = ClassFilter.parse("include=com.example.*,com.nowhere.*");
        filter.accepts("com.example.Main");
        assertThat(filter.unmatchedIncludes()).containsExactly("com.nowhere.*");
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        assertThatThrownBy(() -> ClassFilter.parse("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one include pattern");
        assertThatThrownBy(() -> ClassFilter.parse("includes=com.x.*")).hasMessageContaining("includes=com.x.*");
        assertThatThrownBy(() -> ClassFilter.parse("include=com.x.**")).hasMessageContaining("com.x.**");
        assertThatThrownBy(() -> ClassFilter.parse("include=java.*")).hasMessageContaining("never instruments");
        assertThatThrownBy(() -> ClassFilter.parse("include=dev.gil.core.*")).hasMessageContaining("dev.gil.");
    }
}
