package dev.gil.multiprocess.internal.wire;

import dev.gil.multiprocess.internal.Limits;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.util.Arrays;

/**
 * The one choice of encoding for an object that crosses between JVMs: packed ({@link SmallValues}) when every part of
 * it is a value, collection, record or enum that format takes, else Java serialization behind the allow-list
 * ({@link SerialCodec}). A {@code Connection}, a child's result and failure, a pool's chunks and a
 * {@code ProcessQueue}'s items all come here; a frame kind, or the first byte of {@link #encodeTagged}, says which
 * way an object went. {@code docs/design/wire-format.md} says why these two and no library.
 */
public final class WireCodec {
    private static final byte PACKED = 'P';
    private static final byte SERIALIZED = 'S';

    private WireCodec() {}

    /** An object's bytes, and whether they are packed or serialized. */
    public record Encoded(boolean packed, byte[] bytes) {}

    /**
     * Encodes an object.
     *
     * @throws NotSerializableException if it is neither packable nor serializable, or its form is over the frame
     *     limit (a {@link Limits.FrameTooLargeException})
     */
    public static Encoded encode(Object value) throws NotSerializableException {
        byte[] packed = SmallValues.encode(value);
        if (packed == null) {
            return new Encoded(false, SerialCodec.serialize(value));
        }
        if (packed.length > Limits.MAX_FRAME_BYTES) {
            throw new Limits.FrameTooLargeException("the packed form is " + packed.length + " bytes, over the frame "
                    + "limit of " + Limits.MAX_FRAME_BYTES + " bytes (" + Limits.MAX_FRAME_PROPERTY + "): send large "
                    + "data in parts, or raise the limit");
        }
        return new Encoded(true, packed);
    }

    /**
     * Decodes what {@link #encode} wrote.
     *
     * @throws IOException if the bytes are malformed, the allow-list refuses a class, or a class cannot be loaded
     *     here (the message names it)
     */
    public static Object decode(boolean packed, byte[] bytes) throws IOException {
        if (packed) {
            return SmallValues.decode(bytes);
        }
        try {
            return SerialCodec.deserialize(bytes);
        } catch (ClassNotFoundException e) {
            throw (InvalidObjectException) new InvalidObjectException("an object of a class this JVM cannot load: "
                    + e.getMessage()).initCause(e);
        }
    }

    /** Encodes an object with a first byte saying how, for a channel with no frame kinds of its own. */
    public static byte[] encodeTagged(Object value) throws NotSerializableException {
        Encoded encoded = encode(value);
        byte[] bytes = new byte[encoded.bytes().length + 1];
        bytes[0] = encoded.packed() ? PACKED : SERIALIZED;
        System.arraycopy(encoded.bytes(), 0, bytes, 1, encoded.bytes().length);
        return bytes;
    }

    /**
     * Decodes what {@link #encodeTagged} wrote.
     *
     * @throws IOException as {@link #decode} does, or if the first byte is no known encoding
     */
    public static Object decodeTagged(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            throw new InvalidObjectException("an empty encoded object");
        }
        if (bytes[0] != PACKED && bytes[0] != SERIALIZED) {
            throw new InvalidObjectException("an encoded object of unknown kind " + bytes[0]);
        }
        return decode(bytes[0] == PACKED, Arrays.copyOfRange(bytes, 1, bytes.length));
    }
}
