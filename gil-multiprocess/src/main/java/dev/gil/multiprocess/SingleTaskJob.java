package dev.gil.multiprocess;

import dev.gil.multiprocess.internal.PoolProtocol;

/** A single task whose outcome completes a future. */
final class SingleTaskJob<R> extends PoolJob {
    final TaskFuture<R> future;

    SingleTaskJob(ShippedFunction function, ProcessPool pool) {
        super(function, PoolProtocol.SINGLE);
        this.future = new TaskFuture<>(this, pool);
    }

    @Override
    @SuppressWarnings("unchecked")
    void chunkDone(Chunk chunk, Object[] results) {
        future.complete((R) results[0]);
    }

    @Override
    void chunkFailed(Chunk chunk, int index, Throwable failure) {
        future.completeExceptionally(failure);
    }
}
