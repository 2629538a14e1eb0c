package dev.gil.multiprocess.internal.wire;

import dev.gil.multiprocess.internal.Limits;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the arguments and results of a pool chunk. Arrays whose elements are all {@code Integer}, all {@code Long},
 * all {@code Double} or all {@code String} travel as packed primitives (what pickle's compact opcodes do for Python):
 * a few nanoseconds an element instead of Java serialization's object headers. Any other array, nulls included, goes
 * as {@link WireCodec} encodes it (packed when every element is a value, collection, record or enum it takes).
 *
 * <p>The per-value loops run in blocks of {@value #BLOCK} through methods of their own: HotSpot compiles a method
 * after a few hundred calls, but a loop inside one only after tens of thousands of iterations, and a chunk's loop
 * runs a handful of times per {@code map}: a script's first maps would run it in the interpreter throughout.
 */
public final class ValueCodec {
    private static final byte OBJECTS = 0;
    private static final byte INTS = 1;
    private static final byte LONGS = 2;
    private static final byte DOUBLES = 3;
    private static final byte STRINGS = 4;
    /** Values per call of a block method (see the class comment); the pool worker applies functions in these too. */
    public static final int BLOCK = 64;

    private ValueCodec() {}

    /**
     * Encodes {@code values} after {@code headerBytes} zero bytes the caller fills in.
     *
     * @throws NotSerializableException if a value cannot be serialized; the message names its index and type
     */
    public static byte[] encode(Object[] values, int headerBytes) throws NotSerializableException {
        byte kind = kindOf(values);
        int n = values.length;
        switch (kind) {
            case INTS -> {
                byte[] out = start(headerBytes, 5 + 4 * n, kind, n);
                for (int from = 0, at = headerBytes + 5; from < n; from += BLOCK) {
                    at = putInts(values, from, Math.min(n, from + BLOCK), out, at);
                }
                return out;
            }
            case LONGS -> {
                byte[] out = start(headerBytes, 5 + 8 * n, kind, n);
                for (int from = 0, at = headerBytes + 5; from < n; from += BLOCK) {
                    at = putLongs(values, from, Math.min(n, from + BLOCK), out, at);
                }
                return out;
            }
            case DOUBLES -> {
                byte[] out = start(headerBytes, 5 + 8 * n, kind, n);
                for (int from = 0, at = headerBytes + 5; from < n; from += BLOCK) {
                    at = putDoubles(values, from, Math.min(n, from + BLOCK), out, at);
                }
                return out;
            }
            case STRINGS -> {
                byte[][] utf8 = new byte[n][];
                long size = 5L + 4L * n;
                for (int i = 0; i < n; i++) {
                    utf8[i] = ((String) values[i]).getBytes(StandardCharsets.UTF_8);
                    size += utf8[i].length;
                }
                if (size + headerBytes > Integer.MAX_VALUE - 16) {
                    return serialized(values, headerBytes);
                }
                ByteBuffer out = ByteBuffer.wrap(start(headerBytes, (int) size, kind, n)).position(headerBytes + 5);
                for (byte[] string : utf8) {
                    out.putInt(string.length).put(string);
                }
                return out.array();
            }
            default -> {
                return serialized(values, headerBytes);
            }
        }
    }

    /** Decodes what {@link #encode} wrote, from the buffer's position. */
    public static Object[] decode(ByteBuffer in) throws IOException {
        byte kind = in.get();
        if (kind == OBJECTS) {
            byte[] rest = new byte[in.remaining()];
            in.get(rest);
            Object decoded = WireCodec.decodeTagged(rest);
            if (!(decoded instanceof Object[] values)) {
                throw new InvalidObjectException("not an array of values: "
                        + (decoded == null ? "null" : decoded.getClass().getName()));
            }
            return values;
        }
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new InvalidObjectException("corrupted value array: " + n + " values in " + in.remaining()
                    + " bytes");
        }
        Object[] values = new Object[n];
        // A loop per kind, not a switch per value: a fresh JVM interprets these loops for a script's first calls.
        switch (kind) {
            case INTS -> {
                int at = fixedWidth(in, n, 4);
                for (int from = 0; from < n; from += BLOCK) {
                    at = getInts(in.array(), at, values, from, Math.min(n, from + BLOCK));
                }
            }
            case LONGS -> {
                int at = fixedWidth(in, n, 8);
                for (int from = 0; from < n; from += BLOCK) {
                    at = getLongs(in.array(), at, values, from, Math.min(n, from + BLOCK));
                }
            }
            case DOUBLES -> {
                int at = fixedWidth(in, n, 8);
                for (int from = 0; from < n; from += BLOCK) {
                    at = getDoubles(in.array(), at, values, from, Math.min(n, from + BLOCK));
                }
            }
            case STRINGS -> {
                for (int i = 0; i < n; i++) {
                    values[i] = string(in);
                }
            }
            default -> throw new InvalidObjectException("unknown value array kind " + kind);
        }
        return values;
    }

    private static String string(ByteBuffer in) throws InvalidObjectException {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) { // claimed, not sent: allocate nothing for it
            throw new InvalidObjectException("corrupted value array: a string of " + length + " bytes in "
                    + in.remaining());
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static byte kindOf(Object[] values) {
        if (values.length == 0 || values[0] == null) {
            return OBJECTS;
        }
        Class<?> type = values[0].getClass();
        byte kind = type == Integer.class ? INTS : type == Long.class ? LONGS : type == Double.class ? DOUBLES
                : type == String.class ? STRINGS : OBJECTS;
        for (int from = 0; kind != OBJECTS && from < values.length; from += BLOCK) {
            if (!allOf(type, values, from, Math.min(values.length, from + BLOCK))) {
                return OBJECTS;
            }
        }
        return kind;
    }

    private static boolean allOf(Class<?> type, Object[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            if (values[i] == null || values[i].getClass() != type) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where {@code n} values of {@code width} bytes start in {@code in}'s array; moves {@code in} past them.
     *
     * @throws InvalidObjectException if fewer bytes remain
     */
    private static int fixedWidth(ByteBuffer in, int n, int width) throws InvalidObjectException {
        if ((long) n * width > in.remaining()) {
            throw new InvalidObjectException("corrupted value array: " + n + " values of " + width + " bytes in "
                    + in.remaining() + " bytes");
        }
        int at = in.arrayOffset() + in.position();
        in.position(in.position() + n * width);
        return at;
    }

    // The values go big-endian byte by byte, not through ByteBuffer.putInt and getInt: in JDK 17 those are a chain of
    // ten calls each, which a fresh JVM interprets, then compiles one by one on cores its workers need.

    private static int putInts(Object[] values, int from, int to, byte[] out, int at) {
        for (int i = from; i < to; i++, at += 4) {
            int value = (Integer) values[i];
            out[at] = (byte) (value >>> 24);
            out[at + 1] = (byte) (value >>> 16);
            out[at + 2] = (byte) (value >>> 8);
            out[at + 3] = (byte) value;
        }
        return at;
    }

    private static int putLongs(Object[] values, int from, int to, byte[] out, int at) {
        for (int i = from; i < to; i++, at += 8) {
            putLong((Long) values[i], out, at);
        }
        return at;
    }

    private static int putDoubles(Object[] values, int from, int to, byte[] out, int at) {
        for (int i = from; i < to; i++, at += 8) {
            putLong(Double.doubleToRawLongBits((Double) values[i]), out, at);
        }
        return at;
    }

    private static void putLong(long value, byte[] out, int at) {
        for (int shift = 56, i = at; shift >= 0; shift -= 8, i++) {
            out[i] = (byte) (value >>> shift);
        }
    }

    private static int getInts(byte[] in, int at, Object[] values, int from, int to) {
        for (int i = from; i < to; i++, at += 4) {
            values[i] = (in[at] << 24) | (in[at + 1] & 0xff) << 16 | (in[at + 2] & 0xff) << 8 | (in[at + 3] & 0xff);
        }
        return at;
    }

    private static int getLongs(byte[] in, int at, Object[] values, int from, int to) {
        for (int i = from; i < to; i++, at += 8) {
            values[i] = getLong(in, at);
        }
        return at;
    }

    private static int getDoubles(byte[] in, int at, Object[] values, int from, int to) {
        for (int i = from; i < to; i++, at += 8) {
            values[i] = Double.longBitsToDouble(getLong(in, at));
        }
        return at;
    }

    private static long getLong(byte[] in, int at) {
        long value = 0;
        for (int i = at; i < at + 8; i++) {
            value = value << 8 | (in[i] & 0xff);
        }
        return value;
    }

    /** A frame of {@code headerBytes} zero bytes (the caller's), the kind and the count, and room for the body. */
    private static byte[] start(int headerBytes, int bodyBytes, byte kind, int n) {
        byte[] out = new byte[headerBytes + bodyBytes];
        out[headerBytes] = kind;
        out[headerBytes + 1] = (byte) (n >>> 24);
        out[headerBytes + 2] = (byte) (n >>> 16);
        out[headerBytes + 3] = (byte) (n >>> 8);
        out[headerBytes + 4] = (byte) n;
        return out;
    }

    private static byte[] serialized(Object[] values, int headerBytes) throws NotSerializableException {
        byte[] body;
        try {
            body = WireCodec.encodeTagged(values);
        } catch (NotSerializableException e) {
            throw nameTheCulprit(values, e);
        }
        byte[] out = new byte[headerBytes + 1 + body.length];
        out[headerBytes] = OBJECTS;
        System.arraycopy(body, 0, out, headerBytes + 1, body.length);
        return out;
    }

    /** Finds which value could not be serialized, so the error names it. */
    private static NotSerializableException nameTheCulprit(Object[] values, NotSerializableException failure) {
        for (int i = 0; i < values.length; i++) {
            try {
                WireCodec.encode(values[i]);
            } catch (NotSerializableException e) {
                NotSerializableException named = new NotSerializableException("value #" + i + " of type "
                        + values[i].getClass().getName() + (e instanceof Limits.FrameTooLargeException
                        ? " is too large to send (" : " is not serializable (") + e.getMessage() + ")");
                named.initCause(e);
                return named;
            }
        }
        return failure;
    }
}
