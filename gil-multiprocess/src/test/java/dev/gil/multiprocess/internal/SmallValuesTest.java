package dev.gil.multiprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InvalidObjectException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmallValuesTest {
    private static Object roundTrip(Object value) throws Exception {
        byte[] encoded = SmallValues.encode(value);
        assertThat(encoded).as("encodable: %s", value).isNotNull();
        return SmallValues.decode(encoded);
    }

    @Test
    void everyValueComesBackEqualAndOfTheSameType() throws Exception {
        Object[] values = {null, true, false, 0, -1, Integer.MIN_VALUE, Long.MAX_VALUE, 1.5, Double.NaN, -0.0, "",
            "ping", "héllo, 世界 \uD83D\uDE00", "lone \uD800 surrogate", new byte[] {1, 2, 3}, new byte[0],
            new Object[0], new Object[] {"ping", 12345, 1.5}, new Object[] {new Object[] {1L, null}, "x"}};
        for (Object value : values) {
            Object back = roundTrip(value);
            if (value == null) {
                assertThat(back).isNull();
            } else {
                assertThat(back).isInstanceOf(value.getClass());
                assertThat(Arrays.deepEquals(new Object[] {back}, new Object[] {value})).as("%s", value).isTrue();
            }
        }
        assertThat(SmallValues.encode(new Object[] {"ping", 12345, 1.5})).hasSize(32);
    }

    @Test
    void otherTypesAreLeftToSerialization() {
        for (Object value : List.of(new String[] {"a"}, List.of(1), new StringBuilder("x"), 'c', (short) 1, 1.5f,
                new Object[] {List.of()}, new int[] {1})) {
            assertThat(SmallValues.encode(value)).as("%s", value).isNull();
        }
        Object deep = "bottom";
        for (int i = 0; i < SmallValues.MAX_DEPTH + 1; i++) {
            deep = new Object[] {deep};
        }
        assertThat(SmallValues.encode(deep)).as("nested deeper than the limit").isNull();
    }

    @Test
    void truncatedOrCorruptMessagesAreRejectedClearly() {
        byte[] good = SmallValues.encode(new Object[] {"ping", 12345, 1.5});
        for (int length = 0; length < good.length; length++) {
            byte[] truncated = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> SmallValues.decode(truncated)).isInstanceOf(InvalidObjectException.class);
        }
        byte[] unknownTag = {99};
        assertThatThrownBy(() -> SmallValues.decode(unknownTag)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("tag 99");
        byte[] hugeArray = {8, 0x7f, -1, -1, -1};
        assertThatThrownBy(() -> SmallValues.decode(hugeArray)).isInstanceOf(InvalidObjectException.class);
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> SmallValues.decode(trailing)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("after the end");
    }
}
