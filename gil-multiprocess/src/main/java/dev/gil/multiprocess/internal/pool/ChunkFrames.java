package dev.gil.multiprocess.internal.pool;

import dev.gil.multiprocess.internal.Limits;
import dev.gil.multiprocess.internal.channel.FrameChannel;
import dev.gil.multiprocess.internal.wire.SerialCodec;
import dev.gil.multiprocess.internal.wire.ValueCodec;
import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The bytes of a pool's frames ({@link PoolProtocol}): a batch of chunks for one worker, each preceded by its
 * function the first time that worker gets it, and a worker's answer. Holds no state of its own.
 */
final class ChunkFrames {
    /** Frames ready for one write. */
    record Batch(byte[] kinds, byte[][] payloads, int count) {}

    /** Told of a chunk that cannot be sent, with why; the rest of the batch goes. */
    @FunctionalInterface
    interface Unsendable {
        void chunk(Chunk chunk, String reason, Throwable cause);
    }

    /**
     * A worker's answer to one chunk: its results, or the failure at {@code failedIndex} (or of the whole chunk).
     *
     * @param computeNanos how long the worker computed, or -1 for a failure
     */
    record Answer(long chunkId, Object[] results, Throwable failure, int failedIndex, long computeNanos) {}

    private ChunkFrames() {}

    /** Encodes a batch for {@code worker}; a chunk it cannot encode, or too large, goes to {@code unsendable}. */
    static Batch batch(PoolWorker worker, List<Chunk> chunks, Unsendable unsendable) {
        byte[] kinds = new byte[2 * chunks.size()];
        byte[][] payloads = new byte[2 * chunks.size()][];
        int count = 0;
        for (Chunk chunk : chunks) {
            byte[] payload;
            try {
                payload = chunk.encoded != null ? chunk.encoded
                        : ValueCodec.encode(chunk.arguments, PoolProtocol.CHUNK_HEADER);
            } catch (NotSerializableException e) {
                unsendable.chunk(chunk, e.getMessage(), e);
                continue;
            } catch (RuntimeException | OutOfMemoryError e) { // the feeder must live on, or the chunk waits for ever
                unsendable.chunk(chunk, "encoding it failed: " + e, e);
                continue;
            }
            if (payload.length > Limits.MAX_FRAME_BYTES) { // sending it would look like a dead worker
                unsendable.chunk(chunk, Limits.overFrameLimit("it", payload.length), null);
                continue;
            }
            ByteBuffer.wrap(payload).putLong(chunk.id).putInt(chunk.function.id()).put(chunk.shape);
            if (worker.needsFunction(chunk.function)) {
                kinds[count] = PoolProtocol.FUNCTION;
                payloads[count++] = chunk.function.frame();
            }
            kinds[count] = PoolProtocol.CHUNK;
            payloads[count++] = payload;
        }
        return new Batch(kinds, payloads, count);
    }

    /** Reads a DONE or FAILED frame; {@code null} for any other kind. */
    static Answer answer(FrameChannel.Frame frame) {
        ByteBuffer in = ByteBuffer.wrap(frame.payload());
        long chunkId = in.getLong();
        if (frame.kind() == PoolProtocol.DONE) {
            long computeNanos = in.getLong();
            try {
                return new Answer(chunkId, ValueCodec.decode(in), null, PoolProtocol.WHOLE_CHUNK, computeNanos);
            } catch (IOException | RuntimeException e) {
                return new Answer(chunkId, null, new IllegalStateException("the task's result could not be read "
                        + "in the parent: " + e, e), PoolProtocol.WHOLE_CHUNK, computeNanos);
            }
        }
        if (frame.kind() == PoolProtocol.FAILED) {
            int failedIndex = in.getInt();
            return new Answer(chunkId, null, readFailure(in), failedIndex, -1);
        }
        return null;
    }

    private static Throwable readFailure(ByteBuffer in) {
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        try {
            return (Throwable) SerialCodec.deserialize(bytes);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            return new IllegalStateException("the task failed, and its exception could not be read: " + e, e);
        }
    }
}
