package dev.gil.multiprocess.internal.wire;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compact encoding for the messages processes exchange most: {@code null}, {@code Boolean}, {@code Byte},
 * {@code Short}, {@code Character}, {@code Integer}, {@code Long}, {@code Float}, {@code Double}, {@code String},
 * {@code byte[]}, {@code Object[]} (a Python tuple), and {@code ArrayList}, {@code HashMap}, {@code LinkedHashMap},
 * {@code HashSet}, {@code LinkedHashSet} and the immutable {@code List.of}, {@code Set.of} and {@code Map.of}
 * collections of those, serializable records and enums (see {@link PackedTypes}), nested up to {@value #MAX_DEPTH}
 * deep. Pickle has opcodes for exactly these; Java serialization writes class descriptors for each: about 180 bytes
 * for {@code {"ping", 12345, 1.5}} against 28 here, and several times the time. Anything else (a subclass, a
 * {@code String[]}, a user's class that is not a record) is not encodable and goes through {@link SerialCodec}; so
 * does a graph in which one array, collection or record appears twice, since packing would turn the shared one into
 * two (Java serialization keeps identity and cycles).
 *
 * <p>Decoding makes exactly the same types again. The JDK types are fixed; a record's or an enum's class is checked
 * against {@link AllowedClasses} by name before it is loaded. Every length is checked against the bytes that remain
 * before anything is allocated, and nesting is bounded, so the work is proportional to the frame.
 */
public final class SmallValues {
    static final int MAX_DEPTH = 8;

    private static final byte NULL = 0;
    private static final byte FALSE = 1;
    private static final byte TRUE = 2;
    private static final byte INT = 3;
    private static final byte LONG = 4;
    private static final byte DOUBLE = 5;
    private static final byte STRING = 6;
    private static final byte BYTES = 7;
    private static final byte ARRAY = 8;
    private static final byte ARRAY_LIST = 9;
    private static final byte IMMUTABLE_LIST = 10;
    private static final byte HASH_MAP = 11;
    private static final byte LINKED_HASH_MAP = 12;
    private static final byte IMMUTABLE_MAP = 13;
    private static final byte HASH_SET = 14;
    private static final byte LINKED_HASH_SET = 15;
    private static final byte IMMUTABLE_SET = 16;
    private static final byte BYTE = 17;
    private static final byte SHORT = 18;
    private static final byte CHAR = 19;
    private static final byte FLOAT = 20;
    private static final byte LATIN1_STRING = 21;
    private static final byte RECORD = 22;
    private static final byte ENUM = 23;

    /** The classes of {@code List.of(..)}, {@code Set.of(..)} and {@code Map.of(..)}: a small and a general one each. */
    private static final Set<Class<?>> IMMUTABLE_LISTS = Set.of(List.of().getClass(), List.of(1).getClass());
    private static final Set<Class<?>> IMMUTABLE_SETS = Set.of(Set.of().getClass(), Set.of(1).getClass());
    private static final Set<Class<?>> IMMUTABLE_MAPS = Set.of(Map.of().getClass(), Map.of(1, 1).getClass());

    private SmallValues() {}

    /** The encoding of {@code value}, or {@code null} if it has a part this codec does not take. */
    public static byte[] encode(Object value) {
        Containers containers = new Containers();
        int size = size(value, 0, containers);
        if (size < 0) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        try {
            write(value, out, containers.recordComponents);
        } catch (BufferOverflowException | ConcurrentModificationException changing) {
            throw new ConcurrentModificationException("a message changed while it was being encoded: another thread"
                    + " modified a collection or array in it", changing);
        }
        if (out.hasRemaining()) {
            throw new ConcurrentModificationException("a message changed while it was being encoded: another thread"
                    + " modified a collection or array in it");
        }
        return out.array();
    }

    /**
     * Decodes what {@link #encode} wrote.
     *
     * @throws InvalidObjectException if the bytes are not such an encoding
     */
    public static Object decode(byte[] bytes) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            Object value = read(in, 0);
            if (in.hasRemaining()) {
                throw new InvalidObjectException(in.remaining() + " bytes after the end of a packed message");
            }
            return value;
        } catch (BufferUnderflowException | NegativeArraySizeException | IndexOutOfBoundsException truncated) {
            throw new InvalidObjectException("a truncated or corrupted packed message of " + bytes.length + " bytes");
        } catch (NullPointerException nullInImmutable) {
            throw new InvalidObjectException("a packed immutable collection with a null in it");
        }
    }

    /**
     * Encoded size, or -1 if not encodable. Strings travel a byte a char when every char is below 256, else as
     * UTF-16: exact for every string, lone surrogates too.
     * {@code containers} holds the arrays and collections met so far: one met twice makes the value not encodable.
     */
    private static int size(Object value, int depth, Containers containers) {
        if (value == null || value instanceof Boolean) {
            return 1;
        }
        Class<?> type = value.getClass();
        if (type == Integer.class || type == Float.class) {
            return 5;
        } else if (type == Long.class || type == Double.class) {
            return 9;
        } else if (type == Byte.class) {
            return 2;
        } else if (type == Short.class || type == Character.class) {
            return 3;
        } else if (type == String.class) {
            String string = (String) value;
            long bytes = isLatin1(string) ? string.length() : 2L * string.length();
            return bytes > Integer.MAX_VALUE / 2 ? -1 : 5 + (int) bytes;
        } else if (type == byte[].class) {
            return 5 + ((byte[]) value).length;
        }
        byte tag = tag(type);
        if (tag < 0) {
            Class<?> enumClass = PackedTypes.enumClass(value);
            if (enumClass != null) {
                return 1 + size(enumClass.getName(), 0, containers) + size(((Enum<?>) value).name(), 0, containers);
            }
            return type.isRecord() ? recordSize(value, depth, containers) : -1;
        }
        if (depth >= MAX_DEPTH || !containers.addNew(value)) {
            return -1;
        }
        // List.of and its kin refuse null, but Stream.toList() makes the same class with nulls in it.
        boolean nullFree = tag == IMMUTABLE_LIST || tag == IMMUTABLE_SET || tag == IMMUTABLE_MAP;
        long total = 5;
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                int keySize = elementSize(entry.getKey(), nullFree, depth, containers);
                int valueSize = elementSize(entry.getValue(), nullFree, depth, containers);
                if (keySize < 0 || valueSize < 0) {
                    return -1;
                }
                total += keySize + valueSize;
            }
        } else {
            for (Object element : value instanceof Object[] array ? Arrays.asList(array) : (Collection<?>) value) {
                int elementSize = elementSize(element, nullFree, depth, containers);
                if (elementSize < 0) {
                    return -1;
                }
                total += elementSize;
            }
        }
        return total > Integer.MAX_VALUE / 2 ? -1 : (int) total;
    }

    /** A record's size: its tag, its class name, its component count and its components, each read once. */
    private static int recordSize(Object record, int depth, Containers containers) {
        PackedTypes.RecordShape shape = PackedTypes.recordShape(record.getClass());
        if (shape == null || depth >= MAX_DEPTH || !containers.addNew(record)) {
            return -1;
        }
        Object[] components = shape.components(record);
        containers.recordComponents.add(components);
        long total = 1 + size(record.getClass().getName(), 0, containers) + 4;
        for (Object component : components) {
            int componentSize = size(component, depth + 1, containers);
            if (componentSize < 0) {
                return -1;
            }
            total += componentSize;
        }
        return total > Integer.MAX_VALUE / 2 ? -1 : (int) total;
    }

    private static int elementSize(Object element, boolean nullFree, int depth, Containers containers) {
        return element == null && nullFree ? -1 : size(element, depth + 1, containers);
    }

    /**
     * The arrays, collections and records met while sizing one value, by identity: a few in an array, many in a map;
     * and the records' components in the order met, which writing takes in the same order.
     */
    private static final class Containers {
        final ArrayDeque<Object[]> recordComponents = new ArrayDeque<>();
        private final Object[] few = new Object[8];
        private int count;
        private IdentityHashMap<Object, Boolean> many;

        /** Adds a container; {@code false} if it was met before. */
        boolean addNew(Object container) {
            if (many == null) {
                for (int i = 0; i < count; i++) {
                    if (few[i] == container) {
                        return false;
                    }
                }
                if (count < few.length) {
                    few[count++] = container;
                    return true;
                }
                many = new IdentityHashMap<>();
                for (Object met : few) {
                    many.put(met, Boolean.TRUE);
                }
            }
            return many.put(container, Boolean.TRUE) == null;
        }
    }

    /** The tag of a container type, or -1. */
    private static byte tag(Class<?> type) {
        if (type == Object[].class) {
            return ARRAY;
        } else if (type == ArrayList.class) {
            return ARRAY_LIST;
        } else if (type == HashMap.class) {
            return HASH_MAP;
        } else if (type == LinkedHashMap.class) {
            return LINKED_HASH_MAP;
        } else if (type == HashSet.class) {
            return HASH_SET;
        } else if (type == LinkedHashSet.class) {
            return LINKED_HASH_SET;
        } else if (IMMUTABLE_LISTS.contains(type)) {
            return IMMUTABLE_LIST;
        } else if (IMMUTABLE_SETS.contains(type)) {
            return IMMUTABLE_SET;
        } else if (IMMUTABLE_MAPS.contains(type)) {
            return IMMUTABLE_MAP;
        }
        return -1;
    }

    private static void write(Object value, ByteBuffer out, ArrayDeque<Object[]> recordComponents) {
        if (value == null) {
            out.put(NULL);
        } else if (value instanceof Boolean bool) {
            out.put(bool ? TRUE : FALSE);
        } else if (value instanceof Integer number) {
            out.put(INT).putInt(number);
        } else if (value instanceof Long number) {
            out.put(LONG).putLong(number);
        } else if (value instanceof Double number) {
            out.put(DOUBLE).putDouble(number);
        } else if (value instanceof String string) {
            if (isLatin1(string)) {
                out.put(LATIN1_STRING).putInt(string.length()).put(string.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.put(STRING).putInt(string.length());
                for (int i = 0; i < string.length(); i++) {
                    out.putChar(string.charAt(i));
                }
            }
        } else if (value instanceof byte[] bytes) {
            out.put(BYTES).putInt(bytes.length).put(bytes);
        } else if (value instanceof Byte number) {
            out.put(BYTE).put(number);
        } else if (value instanceof Short number) {
            out.put(SHORT).putShort(number);
        } else if (value instanceof Character character) {
            out.put(CHAR).putChar(character);
        } else if (value instanceof Float number) {
            out.put(FLOAT).putFloat(number);
        } else if (value instanceof Enum<?> constant) {
            out.put(ENUM);
            write(constant.getDeclaringClass().getName(), out, recordComponents);
            write(constant.name(), out, recordComponents);
        } else if (value instanceof Record) {
            Object[] components = recordComponents.remove();
            out.put(RECORD);
            write(value.getClass().getName(), out, recordComponents);
            out.putInt(components.length);
            for (Object component : components) {
                write(component, out, recordComponents);
            }
        } else {
            out.put(tag(value.getClass()));
            if (value instanceof Map<?, ?> map) {
                out.putInt(map.size());
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    write(entry.getKey(), out, recordComponents);
                    write(entry.getValue(), out, recordComponents);
                }
            } else {
                Collection<?> elements = value instanceof Object[] array ? Arrays.asList(array) : (Collection<?>) value;
                out.putInt(elements.size());
                for (Object element : elements) {
                    write(element, out, recordComponents);
                }
            }
        }
    }

    private static Object read(ByteBuffer in, int depth) throws IOException {
        byte tag = in.get();
        switch (tag) {
            case NULL:
                return null;
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case INT:
                return in.getInt();
            case LONG:
                return in.getLong();
            case DOUBLE:
                return in.getDouble();
            case STRING:
                return string(in);
            case LATIN1_STRING:
                return latin1String(in);
            case BYTES:
                return bytes(in);
            case BYTE:
                return in.get();
            case SHORT:
                return in.getShort();
            case CHAR:
                return in.getChar();
            case FLOAT:
                return in.getFloat();
            case ARRAY:
                return elements(in, depth, 1, "array");
            case ARRAY_LIST:
                return new ArrayList<>(Arrays.asList(elements(in, depth, 1, "list")));
            case IMMUTABLE_LIST:
                return List.of(elements(in, depth, 1, "list"));
            case HASH_SET:
                return fill(new HashSet<>(), elements(in, depth, 1, "set"));
            case LINKED_HASH_SET:
                return fill(new LinkedHashSet<>(), elements(in, depth, 1, "set"));
            case IMMUTABLE_SET:
                return Set.copyOf(fill(new LinkedHashSet<>(), elements(in, depth, 1, "set")));
            case HASH_MAP:
                return fill(new HashMap<>(), elements(in, depth, 2, "map"));
            case LINKED_HASH_MAP:
                return fill(new LinkedHashMap<>(), elements(in, depth, 2, "map"));
            case IMMUTABLE_MAP:
                return Map.copyOf(fill(new LinkedHashMap<>(), elements(in, depth, 2, "map")));
            case ENUM:
                return PackedTypes.enumConstant(PackedTypes.resolve(className(in), false), className(in));
            case RECORD:
                return record(in, depth);
            default:
                throw new InvalidObjectException("unknown tag " + tag + " in a packed message");
        }
    }

    /** A record: its class, allowed before it is loaded, then its components, given to its canonical constructor. */
    private static Object record(ByteBuffer in, int depth) throws IOException {
        Class<?> type = PackedTypes.resolve(className(in), true);
        PackedTypes.RecordShape shape = PackedTypes.recordShape(type);
        if (shape == null) {
            throw new InvalidObjectException("a packed record of class " + type.getName() + ", which this JVM would "
                    + "not pack (it replaces or resolves itself, or its module does not open it)");
        }
        return shape.construct(type, elements(in, depth, 1, "record"));
    }

    /** A name written as a string: a class's, or an enum constant's. */
    private static String className(ByteBuffer in) throws IOException {
        byte tag = in.get();
        if (tag != LATIN1_STRING && tag != STRING) {
            throw new InvalidObjectException("a packed record or enum without its class name");
        }
        return tag == LATIN1_STRING ? latin1String(in) : string(in);
    }

    /** A container's elements: {@code perEntry} values for each of the count that comes first. */
    private static Object[] elements(ByteBuffer in, int depth, int perEntry, String what) throws IOException {
        if (depth >= MAX_DEPTH) {
            throw new InvalidObjectException("a packed message nested deeper than " + MAX_DEPTH);
        }
        int count = in.getInt();
        if (count < 0 || (long) count * perEntry > in.remaining()) { // each value takes at least a byte
            throw new InvalidObjectException("a packed " + what + " of " + count + " entries in " + in.remaining()
                    + " bytes");
        }
        Object[] values = new Object[count * perEntry];
        for (int i = 0; i < values.length; i++) {
            values[i] = read(in, depth + 1);
        }
        return values;
    }

    private static <C extends Collection<Object>> C fill(C set, Object[] elements) throws InvalidObjectException {
        Collections.addAll(set, elements);
        if (set.size() != elements.length) {
            throw new InvalidObjectException("a packed set with duplicate elements");
        }
        return set;
    }

    private static <M extends Map<Object, Object>> M fill(M map, Object[] alternating) throws InvalidObjectException {
        for (int i = 0; i < alternating.length; i += 2) {
            map.put(alternating[i], alternating[i + 1]);
        }
        if (map.size() != alternating.length / 2) {
            throw new InvalidObjectException("a packed map with duplicate keys");
        }
        return map;
    }

    /**
     * Whether every char is below 256: then the string travels a byte a char, which the JDK copies in and out of its
     * compact strings without a loop of its own (most strings programs exchange are such).
     */
    private static boolean isLatin1(String string) {
        for (int i = 0; i < string.length(); i++) {
            if (string.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static String latin1String(ByteBuffer in) throws InvalidObjectException {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new InvalidObjectException("a packed string of " + length + " chars in " + in.remaining() + " bytes");
        }
        String string = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.ISO_8859_1);
        in.position(in.position() + length);
        return string;
    }

    private static String string(ByteBuffer in) throws InvalidObjectException {
        int length = in.getInt();
        if (length < 0 || length > in.remaining() / 2) {
            throw new InvalidObjectException("a packed string of " + length + " chars in " + in.remaining() + " bytes");
        }
        char[] chars = new char[length];
        in.asCharBuffer().get(chars);
        in.position(in.position() + 2 * length);
        return new String(chars);
    }

    private static byte[] bytes(ByteBuffer in) throws InvalidObjectException {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new InvalidObjectException("a packed value of " + length + " bytes in " + in.remaining());
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
