package dev.gil.multiprocess.internal.pool;

import dev.gil.multiprocess.internal.wire.CodeCodec;
import java.nio.ByteBuffer;

/**
 * A function encoded once, with the id workers know it by; {@code frame} is its FUNCTION frame's payload.
 *
 * @param id unique in this JVM
 * @param frame the id, the function's form (see {@link CodeCodec}), then its bytes
 */
public record ShippedFunction(int id, byte[] frame) {
    static ShippedFunction of(int id, CodeCodec.Encoded function) {
        byte[] frame = new byte[4 + 1 + function.bytes().length];
        ByteBuffer.wrap(frame).putInt(id).put(function.form()).put(function.bytes());
        return new ShippedFunction(id, frame);
    }
}
