package dev.gil.multiprocess.internal.pool;

import java.nio.ByteBuffer;

/**
 * A function serialized once, with the id workers know it by; {@code frame} is its FUNCTION frame's payload.
 *
 * @param id unique in this JVM
 * @param frame the id, then the serialized function
 */
public record ShippedFunction(int id, byte[] frame) {
    static ShippedFunction of(int id, byte[] serialized) {
        byte[] frame = new byte[4 + serialized.length];
        ByteBuffer.wrap(frame).putInt(id).put(serialized);
        return new ShippedFunction(id, frame);
    }
}
