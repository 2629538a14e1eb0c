package dev.gil.refcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RcTest {

    @Test
    void tryWithResourcesReleasesAndTheLastReleaseFreesTheValue() {
        List<String> freed = new ArrayList<>();
        Rc<String> kept;
        try (Rc<String> rc = Rc.of("buffer", freed::add, RefCountMode.ATOMIC)) {
            kept = rc.retain();
            assertThat(rc.get()).isEqualTo("buffer");
        }
        assertThat(freed).isEmpty();
        assertThat(kept.refCnt()).isEqualTo(1);
        kept.close();
        assertThat(freed).containsExactly("buffer");
        assertThatThrownBy(kept::get).isInstanceOf(IllegalRefCountException.class)
                .hasMessage("refCnt: 0, get() after the object was freed");
        assertThatThrownBy(kept::close).isInstanceOf(IllegalRefCountException.class);
        assertThat(freed).hasSize(1);
    }

    @Test
    void nullsAreRefusedByName() {
        assertThatThrownBy(() -> Rc.of(null, v -> { }, RefCountMode.ATOMIC)).hasMessage("value");
        assertThatThrownBy(() -> Rc.of("v", null, RefCountMode.ATOMIC)).hasMessage("deallocator");
        assertThatThrownBy(() -> Rc.of("v", v -> { }, (RefCountMode) null)).hasMessage("mode");
    }

    @Test
    void toStringShowsCountAndMode() {
        Rc<String> rc = Rc.of("v", v -> { }, RefCountMode.BIASED);
        assertThat(rc).hasToString("Rc[refCnt=1, BIASED]");
        rc.close();
        assertThat(rc).hasToString("Rc[refCnt=0, BIASED]");
    }
}
