package dev.gil.multiprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectCodecTest {

    @Test
    void packableValuesArePackedAndTheRestSerializedAndBothComeBackEqual() throws Exception {
        Object list = new ArrayList<>(List.of("ping", 12345, 1.5));
        byte[] packed = ObjectCodec.encode(list);
        assertThat(packed[0]).isEqualTo((byte) 'P');
        assertThat(ObjectCodec.decode(packed)).isEqualTo(list).isExactlyInstanceOf(ArrayList.class);

        Object date = LocalDate.of(2026, 12, 2);
        byte[] serialized = ObjectCodec.encode(date);
        assertThat(serialized[0]).isEqualTo((byte) 'S');
        assertThat(ObjectCodec.decode(serialized)).isEqualTo(date);
    }

    @Test
    void badInputNamesTheProblem() {
        assertThatThrownBy(() -> ObjectCodec.encode(new Object())).isInstanceOf(NotSerializableException.class);
        assertThatThrownBy(() -> ObjectCodec.decode(new byte[0])).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> ObjectCodec.decode(new byte[] {'X', 1})).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("unknown kind");
        assertThatThrownBy(() -> ObjectCodec.decode(new byte[] {'P', 9, 0})).isInstanceOf(InvalidObjectException.class);
    }
}
