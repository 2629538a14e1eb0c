package dev.gil.refcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeakDetectorTest {
    private LeakDetector.Level previous;

    @BeforeEach
    void paranoid() {
        previous = LeakDetector.level();
        LeakDetector.setLevel(LeakDetector.Level.PARANOID);
        LeakDetector.assertNoLeaks(); // start clean
    }

    @AfterEach
    void restore() {
        LeakDetector.setLevel(previous);
    }

    /** In its own method, so that no local variable keeps the object reachable. */
    private static void dropWithoutRelease() {
        Rc<StringBuilder> leaked = Rc.of(new StringBuilder("leaky"), sb -> { }, RefCountMode.ATOMIC);
        leaked.touch("handed to the parser");
        leaked.retain().touch("second owner");
    }

    private static void useAndRelease() {
        try (Rc<StringBuilder> rc = Rc.of(new StringBuilder(), sb -> { }, RefCountMode.ATOMIC)) {
            rc.get().append("fine");
        }
    }

    @Test
    void anObjectCollectedWithoutReleaseIsReportedWithItsCreationSiteAndTouches() {
        dropWithoutRelease();
        assertThatThrownBy(LeakDetector::assertNoLeaks).isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 reference-counted object(s) leaked")
                .hasMessageContaining("dev.gil.refcount.Rc")
                .hasMessageContaining("created at")
                .hasMessageContaining("LeakDetectorTest.dropWithoutRelease")
                .hasMessageContaining("touched: handed to the parser")
                .hasMessageContaining("touched: second owner");
        LeakDetector.assertNoLeaks(); // reported once, then forgotten
    }

    @Test
    void releasedObjectsAreNotLeaks() {
        for (int i = 0; i < 1_000; i++) {
            useAndRelease();
        }
        LeakDetector.assertNoLeaks();
    }

    @Test
    void disabledTracksNothing() {
        LeakDetector.setLevel(LeakDetector.Level.DISABLED);
        dropWithoutRelease();
        LeakDetector.assertNoLeaks();
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> LeakDetector.setSamplingInterval(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sampling interval must be positive but was 0");
        assertThatThrownBy(() -> LeakDetector.setLevel(null)).isInstanceOf(NullPointerException.class);
        assertThat(LeakDetector.samplingInterval()).isEqualTo(LeakDetector.DEFAULT_SAMPLING_INTERVAL);
    }
}
