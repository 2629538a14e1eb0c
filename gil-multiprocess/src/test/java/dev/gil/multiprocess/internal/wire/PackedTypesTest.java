package dev.gil.multiprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Records and enums in the packed format: equal and of the same class on arrival, or refused with the reason. */
class PackedTypesTest {
    record Point(int x, int y) implements Serializable {}

    record Order(long id, String customer, List<String> items, Map<String, Double> prices, Point at, Status status,
            double total, char grade, float ratio, short count, byte flag, boolean paid) implements Serializable {}

    record Box<T>(T value) implements Serializable {}

    record Positive(int value) implements Serializable {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("not positive: " + value);
            }
        }
    }

    record NotSerializable(int value) {}

    record Replaced(int value) implements Serializable {
        private Object writeReplace() throws ObjectStreamException {
            return this;
        }
    }

    enum Status {
        OPEN,
        PAID {
            @Override
            public String toString() {
                return "paid!";
            }
        }
    }

    @Test
    void recordsAndEnumsComeBackEqualAndOfTheSameClass() throws Exception {
        Order order = new Order(7, "Kim", new ArrayList<>(List.of("tea", "cake")),
                new HashMap<>(Map.of("tea", 3.5, "cake", 4.0)), new Point(1, 2), Status.PAID, 7.5, 'A', 0.5f,
                (short) 3, (byte) 1, true);
        assertThat(SmallValuesTest.roundTrip(order)).isEqualTo(order).isExactlyInstanceOf(Order.class);
        assertThat(SmallValuesTest.roundTrip(Status.PAID)).isSameAs(Status.PAID);
        assertThat(SmallValuesTest.roundTrip(TimeUnit.SECONDS)).isSameAs(TimeUnit.SECONDS);
        assertThat(SmallValuesTest.roundTrip(new Box<>(List.of(new Point(3, 4), "x")))).isEqualTo(new Box<>(List.of(new Point(3, 4),
                "x")));
        assertThat(SmallValuesTest.roundTrip(new ArrayList<>(List.of(new Point(1, 1), new Point(1, 1)))))
                .as("equal records are separate objects").isEqualTo(List.of(new Point(1, 1), new Point(1, 1)));
        assertThat(SmallValues.encode(new Point(1, 2))).as("far smaller than serialization's")
                .hasSizeLessThan(80);
    }

    @Test
    void aRecordJavaSerializationWouldNotSendAsItIsIsLeftToIt() {
        Point shared = new Point(1, 2);
        assertThat(SmallValues.encode(new Object[] {shared, shared})).as("identity kept by serialization").isNull();
        assertThat(SmallValues.encode(new NotSerializable(1))).isNull();
        assertThat(SmallValues.encode(new Replaced(1))).isNull();
        assertThat(SmallValues.encode(new Box<>(new StringBuilder("x")))).isNull();
    }

    @Test
    void aRecordOrEnumOfAClassOutsideTheAllowListIsRefusedByName() {
        assertThatThrownBy(() -> SmallValues.decode(record("javax.management.BadAttributeValueExpException", 0)))
                .isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("javax.management.BadAttributeValueExpException")
                .hasMessageContaining("rejected by gil4j's deserialization filter");
        assertThatThrownBy(() -> SmallValues.decode(record("com.google.common.base.Present", 0)))
                .as("a library's class, from a jar").isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("com.google.common.base.Present");
        assertThatThrownBy(() -> SmallValues.decode(record("com.example.NoSuchRecord", 0)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("cannot load");
    }

    @Test
    void aMalformedRecordIsAClearException() {
        assertThatThrownBy(() -> SmallValues.decode(record(ArrayList.class.getName(), 0)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("not one");
        assertThatThrownBy(() -> SmallValues.decode(record(NotSerializable.class.getName(), 1, 5)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("serializable record");
        assertThatThrownBy(() -> SmallValues.decode(record(Point.class.getName(), 1, 5)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("1 components");
        assertThatThrownBy(() -> SmallValues.decode(record(Positive.class.getName(), 1, -5)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("not positive: -5");
        byte[] positive = SmallValues.encode(new Positive(5));
        int at = positive.length - 5; // the component: INT tag, then four bytes
        assertThat(positive[at]).isEqualTo((byte) 3);
        byte[] nullForInt = java.util.Arrays.copyOf(positive, at + 1);
        nullForInt[at] = 0;
        assertThatThrownBy(() -> SmallValues.decode(nullForInt)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("do not fit");
        byte[] truncated = java.util.Arrays.copyOf(positive, positive.length - 1);
        assertThatThrownBy(() -> SmallValues.decode(truncated)).isInstanceOf(InvalidObjectException.class);
        byte[] noConstant = SmallValues.encode(Status.OPEN);
        noConstant[noConstant.length - 1] = 'X';
        assertThatThrownBy(() -> SmallValues.decode(noConstant)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("no constant OPEX");
    }

    /** A RECORD frame by hand: the class name, the count, then {@code count} packed ints from {@code ints}. */
    private static byte[] record(String className, int count, int... ints) {
        byte[] name = className.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(1 + 5 + name.length + 4 + 5 * ints.length);
        out.put((byte) 22).put((byte) 21).putInt(name.length).put(name).putInt(count);
        for (int value : ints) {
            out.put((byte) 3).putInt(value);
        }
        return out.array();
    }
}
