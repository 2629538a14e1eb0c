package dev.gil.multiprocess;

import java.util.concurrent.CompletableFuture;

/** The future of one task; cancelling it withdraws the task if no worker has it yet. */
final class TaskFuture<R> extends CompletableFuture<R> {
    private final PoolJob job;
    private final ProcessPool pool;
    /** The task as the executor's caller submitted it, for {@link ProcessPoolExecutor#shutdownNow()}. */
    volatile Object original;

    TaskFuture(PoolJob job, ProcessPool pool) {
        this.job = job;
        this.pool = pool;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            job.cancelled = true;
            pool.withdraw(job);
        }
        return cancelled;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
