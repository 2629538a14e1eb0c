package dev.gil.multiprocess.internal.pool;

import dev.gil.multiprocess.internal.launch.ControlProtocol;

/**
 * Frame kinds between a pool and its workers, on the worker's control channel after the {@link ControlProtocol}
 * handshake. Every multi-byte number is big-endian.
 *
 * <pre>
 * pool                                               worker
 *                                     <-- READY       after the initializer ran (or FAILURE, then exit 1)
 *   -- FUNCTION [int id][byte form][function] -->    at most once per function and worker (an LRU of 256 on both
 *                                                    sides, kept in step by the same sequence of operations); the
 *                                                    form is CodeCodec's: by reference, or serialized
 *   -- CHUNK [long id][int function][byte shape][values] -->
 *                    <-- DONE [long id][long compute nanos][values]       one frame per chunk, in chunk order
 *                    <-- FAILED [long id][int index][serialized failure]
 *   -- STOP -->                                      finish the chunks before it, then exit 0
 * </pre>
 */
public final class PoolProtocol {
    public static final byte FUNCTION = 30;
    public static final byte CHUNK = 31;
    public static final byte STOP = 32;
    public static final byte READY = 40;
    public static final byte DONE = 41;
    public static final byte FAILED = 42;

    /** Chunk shape: each value is the function's one argument. */
    public static final byte SINGLE = 0;
    /** Chunk shape: each value is a two-element array, the arguments of a two-argument function. */
    public static final byte PAIR = 1;

    /** Bytes before the values of a CHUNK frame. */
    public static final int CHUNK_HEADER = 8 + 4 + 1;
    /** Bytes before the values of a DONE frame. */
    public static final int DONE_HEADER = 8 + 8;
    /** Functions each side remembers per worker. */
    public static final int FUNCTION_CACHE = 256;
    /** In a FAILED frame, the index of a chunk that failed as a whole (say, its result could not be sent). */
    public static final int WHOLE_CHUNK = -1;

    private PoolProtocol() {}
}
