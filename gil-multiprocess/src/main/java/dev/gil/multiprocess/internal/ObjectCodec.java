package dev.gil.multiprocess.internal;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.util.Arrays;

/**
 * One object as bytes, for a channel with no frame kinds of its own (a {@code ProcessQueue}'s items): packed when
 * {@link SmallValues} takes it, else by {@link SerialCodec} (filtered on arrival); the first byte says which. A
 * {@code Connection} makes the same choice and says it in its frame kind instead.
 */
public final class ObjectCodec {
    private static final byte PACKED = 'P';
    private static final byte SERIALIZED = 'S';

    private ObjectCodec() {}

    /**
     * Encodes an object.
     *
     * @throws NotSerializableException if it is not packable and not serializable
     */
    public static byte[] encode(Object value) throws NotSerializableException {
        byte[] packed = SmallValues.encode(value);
        byte[] body = packed != null ? packed : SerialCodec.serialize(value);
        byte[] bytes = new byte[body.length + 1];
        bytes[0] = packed != null ? PACKED : SERIALIZED;
        System.arraycopy(body, 0, bytes, 1, body.length);
        return bytes;
    }

    /**
     * Decodes what {@link #encode} wrote.
     *
     * @throws IOException if the bytes are malformed or the deserialization filter refuses a class
     * @throws ClassNotFoundException if a serialized class is not on this class path
     */
    public static Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        if (bytes.length == 0) {
            throw new InvalidObjectException("an empty encoded object");
        }
        byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
        return switch (bytes[0]) {
            case PACKED -> SmallValues.decode(body);
            case SERIALIZED -> SerialCodec.deserialize(body);
            default -> throw new InvalidObjectException("an encoded object of unknown kind " + bytes[0]);
        };
    }
}
