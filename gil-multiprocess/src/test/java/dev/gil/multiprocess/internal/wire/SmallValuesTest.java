package dev.gil.multiprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InvalidObjectException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SmallValuesTest {
    /** Encodes {@code value}, which must be packable, and decodes it again. */
    static Object roundTrip(Object value) throws Exception {
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
        assertThat(SmallValues.encode(new Object[] {"ping", 12345, 1.5})).hasSize(28);
    }

    @Test
    void ordinaryCollectionsAndBoxesComeBackEqualAndOfTheSameClass() throws Exception {
        Map<String, Object> linked = new LinkedHashMap<>();
        linked.put("z", 1);
        linked.put("a", null);
        Map<Object, Object> hash = new HashMap<>();
        hash.put("id", 12345);
        hash.put("name", "ping");
        hash.put("tags", new ArrayList<>(List.of("a", "b")));
        hash.put("score", 1.5);
        hash.put(null, new HashSet<>(Set.of(1, 2, 3)));
        Set<Object> linkedSet = new LinkedHashSet<>(List.of("c", "b", "a"));
        List<Object> values = List.of(new ArrayList<>(List.of("ping", 12345, 1.5)), new ArrayList<>(), hash, linked,
                linkedSet, new HashSet<>(), List.of(), List.of(1), List.of(1, 2), List.of(1, 2, 3), Set.of(), Set.of("x"),
                Set.of(1, 2, 3), Map.of(), Map.of("k", 1), Map.of("k", 1, "l", List.of(2)), (byte) -3, (short) 300, 'c',
                1.5f, Float.NaN, new ArrayList<>(Arrays.asList(null, "x", new Object[] {1, null})));
        for (Object value : values) {
            Object back = roundTrip(value);
            assertThat(back).as("%s", value).isExactlyInstanceOf(value.getClass());
            if (value instanceof List<?> list && list.stream().anyMatch(e -> e instanceof Object[])) {
                assertThat(Arrays.deepEquals(((List<?>) back).toArray(), list.toArray())).isTrue();
            } else {
                assertThat(back).as("%s", value).isEqualTo(value);
            }
        }
        assertThat(new ArrayList<Object>(((Map<?, ?>) roundTrip(linked)).keySet())).as("insertion order")
                .containsExactly("z", "a");
        assertThat(new ArrayList<Object>((Set<?>) roundTrip(linkedSet))).containsExactly("c", "b", "a");
    }

    @Test
    void aSharedOrCyclicContainerIsLeftToSerializationWhichKeepsIdentity() {
        List<Object> shared = new ArrayList<>(List.of(1));
        assertThat(SmallValues.encode(new ArrayList<>(List.of(shared, shared)))).isNull();
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThat(SmallValues.encode(cycle)).isNull();
        assertThat(SmallValues.encode(new ArrayList<>(List.of("same", "same")))).as("equal strings are not containers")
                .isNotNull();
    }

    @Test
    void anImmutableListWithANullInItIsLeftToSerialization() {
        List<Object> withNull = java.util.stream.Stream.<Object>of("a", null).toList(); // List.of's class, with a null
        assertThat(SmallValues.encode(withNull)).isNull();
    }

    @Test
    void otherTypesAreLeftToSerialization() {
        for (Object value : List.of(new String[] {"a"}, new StringBuilder("x"), new int[] {1}, new LinkedList<>(),
                Arrays.asList(1, 2), Collections.unmodifiableList(new ArrayList<>()), new TreeMap<>(),
                new ArrayList<>(List.of(new StringBuilder())), new Object[] {new java.util.Date()})) {
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
        byte[] hugeMap = {11, 0x40, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> SmallValues.decode(hugeMap)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("map of");
        byte[] nullInImmutableList = {10, 0, 0, 0, 2, 3, 0, 0, 0, 1, 0};
        assertThatThrownBy(() -> SmallValues.decode(nullInImmutableList)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("null");
        byte[] duplicateInSet = {14, 0, 0, 0, 2, 3, 0, 0, 0, 1, 3, 0, 0, 0, 1};
        assertThatThrownBy(() -> SmallValues.decode(duplicateInSet)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("duplicate");
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> SmallValues.decode(trailing)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("after the end");
    }
}
