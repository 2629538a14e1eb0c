package dev.gil.multiprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InvalidObjectException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A pool chunk's arrays: every packed kind comes back equal, across block boundaries, with the extreme values and
 * after a caller's header; a body shorter than its count is refused before anything is read.
 */
class ValueCodecTest {
    private static final int HEADER = 13;

    @Test
    void intsComeBackEqualAcrossBlocksAndSigns() throws Exception {
        Object[] ints = IntStream.range(0, 3 * ValueCodec.BLOCK + 5).map(i -> i * 0x01_03_07_0B * (i % 2 == 0 ? 1 : -1))
                .boxed().toArray();
        ints[0] = Integer.MIN_VALUE;
        ints[1] = Integer.MAX_VALUE;
        ints[2] = -1;
        assertRoundTrip(ints, Integer.class);
    }

    @Test
    void longsComeBackEqual() throws Exception {
        Object[] longs = {Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L, 0x0102_0304_0506_0708L, -0x0102_0304_0506_0708L};
        assertRoundTrip(longs, Long.class);
    }

    @Test
    void doublesComeBackWithTheirExactBits() throws Exception {
        double nanWithPayload = Double.longBitsToDouble(0x7ff8_0000_0000_0abcL);
        Object[] doubles = {-0.0, 0.0, Double.NaN, nanWithPayload, Double.MIN_VALUE, Double.MAX_VALUE,
                Double.NEGATIVE_INFINITY, 1.5, -2.25e-300};
        Object[] decoded = assertRoundTrip(doubles, Double.class);
        for (int i = 0; i < doubles.length; i++) {
            assertThat(Double.doubleToRawLongBits((Double) decoded[i]))
                    .isEqualTo(Double.doubleToRawLongBits((Double) doubles[i]));
        }
    }

    @Test
    void stringsAndMixedArraysComeBackEqual() throws Exception {
        assertRoundTrip(new Object[] {"", "ascii", "한국어", "\uD83D\uDE00"}, String.class);
        assertThat(decode(ValueCodec.encode(new Object[] {1, 2L, null, List.of(3)}, HEADER)))
                .containsExactly(1, 2L, null, List.of(3));
    }

    @Test
    void theIntsAreBigEndianAfterTheKindAndCount() throws Exception {
        byte[] encoded = ValueCodec.encode(new Object[] {0x01020304, -2}, 0);
        assertThat(encoded).containsExactly(1, 0, 0, 0, 2, 1, 2, 3, 4, -1, -1, -1, -2);
    }

    @Test
    void aCountTheBodyDoesNotCarryIsRefused() throws Exception {
        for (Object[] values : List.of(new Object[] {1, 2, 3}, new Object[] {1L, 2L}, new Object[] {1.0, 2.0})) {
            byte[] encoded = ValueCodec.encode(values, 0);
            byte[] truncated = Arrays.copyOf(encoded, encoded.length - 1);
            assertThatThrownBy(() -> ValueCodec.decode(ByteBuffer.wrap(truncated)))
                    .isInstanceOf(InvalidObjectException.class).hasMessageContaining("corrupted value array");
        }
    }

    @Test
    void decodingLeavesTheBufferAfterTheValues() throws Exception {
        byte[] encoded = ValueCodec.encode(new Object[] {7, 8}, HEADER);
        ByteBuffer in = ByteBuffer.wrap(encoded).position(HEADER);
        ValueCodec.decode(in);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void aSlicedBufferIsReadFromItsOwnStart() throws Exception {
        byte[] encoded = ValueCodec.encode(new Object[] {5, 6}, HEADER);
        ByteBuffer slice = ByteBuffer.wrap(encoded).position(HEADER).slice();
        assertThat(ValueCodec.decode(slice)).containsExactly(5, 6);
    }

    private static Object[] assertRoundTrip(Object[] values, Class<?> type) throws Exception {
        Object[] decoded = decode(ValueCodec.encode(values, HEADER));
        assertThat(decoded).containsExactly(values);
        assertThat(decoded).allSatisfy(value -> assertThat(value).isExactlyInstanceOf(type));
        return decoded;
    }

    private static Object[] decode(byte[] encoded) throws Exception {
        return ValueCodec.decode(ByteBuffer.wrap(encoded).position(HEADER));
    }
}
