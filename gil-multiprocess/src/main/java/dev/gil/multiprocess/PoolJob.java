package dev.gil.multiprocess;

import dev.gil.multiprocess.internal.PoolProtocol;
import java.nio.ByteBuffer;

/**
 * One call on a {@link ProcessPool} (a {@code map}, an {@code imap}, an {@code applyAsync}): the function it ships
 * and what it does with the outcome of each of its chunks. Outcomes arrive on the workers' control threads.
 */
abstract class PoolJob {
    final ShippedFunction function;
    final byte shape;
    volatile boolean cancelled;

    PoolJob(ShippedFunction function, byte shape) {
        this.function = function;
        this.shape = shape;
    }

    /** The chunk's results, one per argument, in order. */
    abstract void chunkDone(Chunk chunk, Object[] results);

    /**
     * The chunk failed: at argument {@code index}, or as a whole ({@link PoolProtocol#WHOLE_CHUNK}).
     *
     * @param failure the task's exception, a {@link WorkerDiedException}, or a cancellation
     */
    abstract void chunkFailed(Chunk chunk, int index, Throwable failure);

    /** Some consecutive inputs of a job, sent to a worker as one message. */
    static final class Chunk {
        final PoolJob job;
        /** The chunk's place in its job. */
        final int index;
        /** The index of its first argument in the job's input. */
        final long firstItem;
        final Object[] arguments;
        /**
         * The arguments already encoded at the call, or {@code null} for the feeder to encode them when it sends.
         * Written before the chunk is submitted, read by the feeder after: the pool's lock orders the two.
         */
        byte[] encoded;
        /** Unique in the pool; assigned when submitted. */
        long id;

        Chunk(PoolJob job, int index, long firstItem, Object[] arguments) {
            this.job = job;
            this.index = index;
            this.firstItem = firstItem;
            this.arguments = arguments;
        }

        /** The index in the job's input of the failed argument, or of the chunk's first one. */
        long itemAt(int failedIndex) {
            return firstItem + Math.max(0, failedIndex);
        }
    }

    /** A function serialized once, with the id workers know it by; {@code frame} is its FUNCTION frame's payload. */
    record ShippedFunction(int id, byte[] frame) {
        static ShippedFunction of(int id, byte[] serialized) {
            byte[] frame = new byte[4 + serialized.length];
            ByteBuffer.wrap(frame).putInt(id).put(serialized);
            return new ShippedFunction(id, frame);
        }
    }
}
