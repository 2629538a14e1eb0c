package dev.gil.multiprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages with bytes flipped, cut short or grown, packed or serialized: each decodes to some value or fails with an
 * {@link IOException} (or, serialized, a {@link ClassNotFoundException} for a class name the damage made up); never
 * another exception, an error or a hang. Fixed seeds: a failure repeats.
 */
@Timeout(60)
class DamagedMessagesTest {
    record Line(String item, int quantity, double price, TimeUnit unit) implements Serializable {}

    record Order(long id, List<Line> lines, Map<String, Object> notes) implements Serializable {}

    @Test
    void damagedMessagesFailAsIoExceptionsOnly() {
        Map<String, Object> notes = new HashMap<>();
        notes.put("gift", true);
        notes.put("tags", new ArrayList<>(List.of("a", "b")));
        List<Object> messages = List.of(new Order(7, List.of(new Line("tea", 2, 3.5, TimeUnit.SECONDS)), notes),
                new ArrayList<>(List.of("ping", 12345, 1.5, TimeUnit.DAYS)), new Object[] {new Line("x", 1, 1, null)});
        SplittableRandom random = new SplittableRandom(20261202);
        int decoded = 0;
        for (Object message : messages) {
            byte[] good = SmallValues.encode(message);
            assertThat(good).as("packable: %s", message).isNotNull();
            for (int round = 0; round < 3_000; round++) {
                byte[] damaged = damage(good, random);
                try {
                    SmallValues.decode(damaged);
                    decoded++;
                } catch (IOException expected) {
                    // a clear refusal
                }
            }
        }
        assertThat(decoded).as("some damage leaves a valid message (a changed digit, say)").isPositive();
    }

    /** A user's ordinary class: Java serialization carries it, with arrays, collections and a JDK type inside. */
    static final class Bean implements Serializable {
        private static final long serialVersionUID = 1L;
        String name = "x";
        int[] numbers = {1, 2, 3};
        List<Object> list = new ArrayList<>(List.of("a", 1L));
        Map<String, Object> map = new HashMap<>(Map.of("k", new java.util.LinkedList<>(List.of(1))));
        java.util.TreeMap<String, Integer> sorted = new java.util.TreeMap<>(Map.of("a", 1));
    }

    @Test
    void damagedSerializedObjectsFailAsIoExceptionsOnly() throws Exception {
        byte[] good = SerialCodec.serialize(new Object[] {new Bean(), new java.util.Date(0)});
        SplittableRandom random = new SplittableRandom(1);
        for (int round = 0; round < 10_000; round++) {
            byte[] damaged = damage(good, random);
            try {
                SerialCodec.deserialize(damaged);
            } catch (IOException | ClassNotFoundException expected) {
                // a clear refusal; ObjectInputStream's own unchecked exceptions arrive as InvalidObjectException
            }
        }
    }

    private static byte[] damage(byte[] good, SplittableRandom random) {
        switch (random.nextInt(3)) {
            case 0: {
                byte[] flipped = good.clone();
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
                }
                return flipped;
            }
            case 1:
                return Arrays.copyOf(good, random.nextInt(good.length));
            default: {
                byte[] grown = Arrays.copyOf(good, good.length + 1 + random.nextInt(8));
                for (int i = good.length; i < grown.length; i++) {
                    grown[i] = (byte) random.nextInt(256);
                }
                return grown;
            }
        }
    }
}
