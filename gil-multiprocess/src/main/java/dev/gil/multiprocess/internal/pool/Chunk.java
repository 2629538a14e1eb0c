package dev.gil.multiprocess.internal.pool;

import dev.gil.multiprocess.internal.wire.ValueCodec;
import java.io.NotSerializableException;
import java.util.concurrent.CompletableFuture;

/**
 * Some consecutive inputs of one pool call, sent to a worker as one message. Cancelling its future withdraws it: the
 * feeder skips a chunk whose future is done.
 */
final class Chunk {
    final ShippedFunction function;
    final byte shape;
    final Object[] arguments;
    /** The index of its first argument in the call's input, for messages. */
    final long firstItem;
    final CompletableFuture<Object[]> future = new CompletableFuture<>();
    /** The caller's own handle on the work (the executor's task), returned when the chunk is drained; or null. */
    final Object tag;
    /**
     * The arguments already encoded at the call, or {@code null} for the feeder to encode them when it sends. Written
     * before the chunk is submitted, read by the feeder after: the dispatcher's lock orders the two.
     */
    byte[] encoded;
    /** Unique in the pool; assigned when submitted. */
    long id;

    Chunk(ShippedFunction function, byte shape, Object[] arguments, long firstItem, Object tag) {
        this.function = function;
        this.shape = shape;
        this.arguments = arguments;
        this.firstItem = firstItem;
        this.tag = tag;
    }

    /** Encodes the arguments now, on the caller's thread; if that fails, the feeder fails the chunk naming why. */
    void encodeNow() {
        try {
            encoded = ValueCodec.encode(arguments, PoolProtocol.CHUNK_HEADER);
        } catch (NotSerializableException | RuntimeException e) {
            // left to the feeder
        }
    }

    /** The index in the call's input of the argument at {@code index}, or of the first one for the whole chunk. */
    long itemAt(int index) {
        return firstItem + Math.max(0, index);
    }
}
