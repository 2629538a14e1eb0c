package dev.gil.multiprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {

    @Test
    void packableValuesArePackedAndTheRestSerializedAndBothComeBackEqual() throws Exception {
        Object list = new ArrayList<>(List.of("ping", 12345, 1.5));
        byte[] packed = WireCodec.encodeTagged(list);
        assertThat(packed[0]).isEqualTo((byte) 'P');
        assertThat(WireCodec.decodeTagged(packed)).isEqualTo(list).isExactlyInstanceOf(ArrayList.class);

        Object date = LocalDate.of(2026, 12, 2);
        byte[] serialized = WireCodec.encodeTagged(date);
        assertThat(serialized[0]).isEqualTo((byte) 'S');
        assertThat(WireCodec.decodeTagged(serialized)).isEqualTo(date);
    }

    @Test
    void badInputNamesTheProblem() {
        assertThatThrownBy(() -> WireCodec.encodeTagged(new Object())).isInstanceOf(NotSerializableException.class);
        assertThatThrownBy(() -> WireCodec.decodeTagged(new byte[0])).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> WireCodec.decodeTagged(new byte[] {'X', 1})).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("unknown kind");
        assertThatThrownBy(() -> WireCodec.decodeTagged(new byte[] {'P', 9, 0})).isInstanceOf(InvalidObjectException.class);
    }
}
