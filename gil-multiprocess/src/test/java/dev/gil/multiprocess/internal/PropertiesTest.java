package dev.gil.multiprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One namespace for the system properties, the old names still read for a release. */
class PropertiesTest {

    @Test
    void theNewNameWinsTheOldOneIsStillReadAndNeitherGivesTheFallback() {
        String name = "dev.gil.multiprocess.test.property";
        String old = "gil4j.test.property";
        try {
            assertThat(Properties.get(name, old, "fallback")).isEqualTo("fallback");
            System.setProperty(old, "old");
            assertThat(Properties.get(name, old, "fallback")).as("deprecated, with a warning").isEqualTo("old");
            System.setProperty(name, "new");
            assertThat(Properties.get(name, old, "fallback")).isEqualTo("new");
        } finally {
            System.clearProperty(name);
            System.clearProperty(old);
        }
    }
}
