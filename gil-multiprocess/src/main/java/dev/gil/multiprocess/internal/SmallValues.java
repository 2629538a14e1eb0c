package dev.gil.multiprocess.internal;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * A compact encoding for the messages processes exchange most: {@code null}, {@code Boolean}, {@code Integer},
 * {@code Long}, {@code Double}, {@code String}, {@code byte[]}, and {@code Object[]} of those (a Python tuple), nested
 * up to {@value #MAX_DEPTH} deep. Pickle has opcodes for exactly these; Java serialization writes class descriptors
 * for each: about 180 bytes for {@code {"ping", 12345, 1.5}} against 32 here, and several times the time. Anything
 * else (a subclass, a {@code String[]}, a user's class) is not encodable and goes through
 * {@link SerialCodec}. Decoding makes exactly the same types again, and only these JDK value types, so no filter is
 * needed.
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

    private SmallValues() {}

    /** The encoding of {@code value}, or {@code null} if it has a part this codec does not take. */
    public static byte[] encode(Object value) {
        int size = size(value, 0);
        if (size < 0) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        write(value, out);
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
        }
    }

    /** Encoded size, or -1 if not encodable. Strings travel as UTF-16, exact for every string (lone surrogates too). */
    private static int size(Object value, int depth) {
        if (value == null || value instanceof Boolean) {
            return 1;
        }
        Class<?> type = value.getClass();
        if (type == Integer.class) {
            return 5;
        } else if (type == Long.class || type == Double.class) {
            return 9;
        } else if (type == String.class) {
            long utf16 = 2L * ((String) value).length();
            return utf16 > Integer.MAX_VALUE / 2 ? -1 : 5 + (int) utf16;
        } else if (type == byte[].class) {
            return 5 + ((byte[]) value).length;
        } else if (type == Object[].class && depth < MAX_DEPTH) {
            long total = 5;
            for (Object element : (Object[]) value) {
                int size = size(element, depth + 1);
                if (size < 0) {
                    return -1;
                }
                total += size;
            }
            return total > Integer.MAX_VALUE / 2 ? -1 : (int) total;
        }
        return -1;
    }

    private static void write(Object value, ByteBuffer out) {
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
            out.put(STRING).putInt(string.length());
            for (int i = 0; i < string.length(); i++) {
                out.putChar(string.charAt(i));
            }
        } else if (value instanceof byte[] bytes) {
            out.put(BYTES).putInt(bytes.length).put(bytes);
        } else {
            Object[] array = (Object[]) value;
            out.put(ARRAY).putInt(array.length);
            for (Object element : array) {
                write(element, out);
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
            case BYTES:
                return bytes(in);
            case ARRAY:
                if (depth >= MAX_DEPTH) {
                    throw new InvalidObjectException("a packed message nested deeper than " + MAX_DEPTH);
                }
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) { // each element takes at least a byte
                    throw new InvalidObjectException("a packed array of " + length + " elements in "
                            + in.remaining() + " bytes");
                }
                Object[] array = new Object[length];
                for (int i = 0; i < length; i++) {
                    array[i] = read(in, depth + 1);
                }
                return array;
            default:
                throw new InvalidObjectException("unknown tag " + tag + " in a packed message");
        }
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
