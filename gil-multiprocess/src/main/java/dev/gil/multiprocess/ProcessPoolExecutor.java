package dev.gil.multiprocess;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link ExecutorService} whose tasks run in worker JVMs: Python's {@code concurrent.futures.ProcessPoolExecutor},
 * backed by a {@link ProcessPool}. Tasks must be serializable: {@link SerializableCallable}s (a lambda passed to
 * {@code submit} is one when it returns a value), {@link SerializableRunnable}s, or any {@link Serializable}
 * {@code Runnable} or {@code Callable}; anything else is rejected at {@code submit} with a message naming it.
 *
 * <pre>{@code
 * try (ProcessPoolExecutor executor = new ProcessPoolExecutor(4)) {
 *     Future<Long> count = executor.submit(() -> Work.count(50_000_000L));
 *     executor.submit((SerializableRunnable) () -> Work.cleanUp());
 *     System.out.println(count.get());
 * }
 * }</pre>
 *
 * <p>A failed task's {@link Future#get()} throws {@link ExecutionException} whose cause is the task's own exception;
 * if its worker died, the cause is a {@link WorkerDiedException} and the pool goes on with a replacement (CPython's
 * executor breaks for good). Cancelling a future withdraws its task if no worker has started it; a running task runs
 * on (the JVM cannot interrupt another process's thread), except under {@link #shutdownNow()}, which kills the workers.
 * Futures are completed on pool threads. Thread-safe.
 */
public final class ProcessPoolExecutor implements ExecutorService, AutoCloseable {
    private final ProcessPool pool;

    /**
     * Starts an executor with {@code processes} worker JVMs.
     *
     * @param processes at least 1
     * @throws IllegalArgumentException if {@code processes} is less than 1
     */
    public ProcessPoolExecutor(int processes) {
        this(ProcessPool.builder().processes(processes));
    }

    /**
     * Starts an executor on the pool the builder describes (initializer, {@code maxTasksPerChild}, JVM options).
     *
     * @param pool the pool's configuration
     */
    public ProcessPoolExecutor(ProcessPool.Builder pool) {
        this.pool = pool.build();
    }

    /**
     * Submits a value-returning task.
     *
     * @param task the task
     * @param <T> the result type
     * @return its future
     * @throws RejectedExecutionException if the executor was shut down, or the task cannot be serialized
     */
    public <T> Future<T> submit(SerializableCallable<T> task) {
        return submitCallable(task);
    }

    /**
     * Submits a {@link SerializableRunnable} (its future gives {@code null}), or any other serializable task object.
     * The parameter is {@link Serializable} rather than {@code SerializableRunnable} so that a bare lambda such as
     * {@code submit(() -> {})} still resolves, to {@link #submit(Runnable)} (where it is rejected, as not
     * serializable), instead of being ambiguous. Pass a {@code SerializableRunnable} variable or cast:
     * {@code executor.submit((SerializableRunnable) () -> work())}.
     *
     * @param task a {@code SerializableRunnable}, {@code SerializableCallable}, or serializable {@code Runnable} or
     *     {@code Callable}
     * @return its future
     * @throws RejectedExecutionException if the executor was shut down, the task cannot be serialized, or it is not
     *     a task
     */
    public Future<?> submit(Serializable task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof SerializableRunnable || task instanceof Runnable) {
            return dispatch(new RunTask(task, null), task);
        }
        if (task instanceof Callable) {
            return dispatch(new CallTask((Callable<?>) task), task);
        }
        throw new RejectedExecutionException(task.getClass().getName() + " is not a task: pass a "
                + "SerializableRunnable or SerializableCallable");
    }

    /**
     * {@inheritDoc}
     *
     * @throws RejectedExecutionException also if {@code task} is not serializable
     */
    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return submitCallable(task);
    }

    /**
     * {@inheritDoc}
     *
     * @throws RejectedExecutionException also if {@code task} or {@code result} is not serializable (the result comes
     *     back from the worker)
     */
    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return dispatch(new RunTask(requireSerializable(task), result), task);
    }

    /**
     * {@inheritDoc}
     *
     * @throws RejectedExecutionException also if {@code task} is not serializable
     */
    @Override
    public Future<?> submit(Runnable task) {
        return submit(task, null);
    }

    /**
     * {@inheritDoc}
     *
     * @throws RejectedExecutionException also if {@code command} is not serializable
     */
    @Override
    public void execute(Runnable command) {
        submit(command, null);
    }

    private <T> Future<T> submitCallable(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return dispatch(new CallTask(requireSerializable(task)), task);
    }

    private static <K> K requireSerializable(K task) {
        if (!(task instanceof Serializable)) {
            throw new RejectedExecutionException("the task " + task.getClass().getName() + " is not serializable, "
                    + "so it cannot run in a worker JVM: pass a SerializableCallable or SerializableRunnable (a lambda "
                    + "cast to one is serializable)");
        }
        return task;
    }

    private <T> Future<T> dispatch(SerializableFunction<Object, Object> adapter, Object original) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("the executor was shut down; it accepts no new tasks");
        }
        try {
            return pool.submitTask(adapter, original);
        } catch (IllegalArgumentException e) {
            throw new RejectedExecutionException("the task " + original.getClass().getName() + " cannot be sent to a "
                    + "worker JVM: it captures something that is not serializable: " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> future : futures) {
                awaitQuietly(future);
            }
        } catch (InterruptedException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<T>> futures = submitAll(tasks);
        try {
            for (Future<T> future : futures) {
                long left = deadline - System.nanoTime();
                try {
                    future.get(Math.max(0, left), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException ignored) {
                    // done, with a failure
                } catch (TimeoutException e) {
                    break;
                }
            }
        } finally {
            cancelAll(futures); // no-op for those done
        }
        return futures;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("invokeAny needs at least one task");
        }
        List<Future<T>> futures = submitAll(tasks);
        CompletableFuture<T> first = new CompletableFuture<>();
        AtomicInteger failures = new AtomicInteger();
        for (Future<T> future : futures) {
            ((CompletableFuture<T>) future).whenComplete((value, failure) -> {
                if (failure == null) {
                    first.complete(value);
                } else if (failures.incrementAndGet() == futures.size()) {
                    first.completeExceptionally(failure instanceof CancellationException
                            ? new ExecutionException("every task was cancelled", failure) : failure);
                }
            });
        }
        try {
            return timeout == Long.MAX_VALUE && unit == TimeUnit.NANOSECONDS ? first.get()
                    : first.get(timeout, unit);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ExecutionException ? (ExecutionException) e.getCause() : e;
        } finally {
            cancelAll(futures);
        }
    }

    private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> task : tasks) {
                futures.add(submit(task));
            }
        } catch (RuntimeException e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    private static void awaitQuietly(Future<?> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException | CancellationException ignored) {
            // done, with a failure: the caller inspects the future
        }
    }

    private static <T> void cancelAll(List<Future<T>> futures) {
        for (Future<T> future : futures) {
            future.cancel(false);
        }
    }

    /** Accepts no new tasks; those submitted still run. Does not wait (see {@link #awaitTermination}). */
    @Override
    public void shutdown() {
        pool.shutdown();
    }

    /**
     * Stops now: withdraws the tasks no worker started and returns them, then kills the workers; tasks that were
     * running fail with {@link CancellationException}.
     *
     * @return the tasks that never started, each as a {@link FutureTask} that runs it in this JVM if run
     */
    @Override
    public List<Runnable> shutdownNow() {
        pool.shutdown();
        List<Runnable> neverStarted = new ArrayList<>();
        for (Object original : pool.drainPending()) {
            neverStarted.add(original instanceof Runnable ? new FutureTask<>((Runnable) original, null)
                    : new FutureTask<>((Callable<?>) original));
        }
        pool.terminate();
        return neverStarted;
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(unit.toNanos(timeout));
    }

    /** Shuts down, waits for the submitted tasks to finish and the workers to exit (like Java 19's default). */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "ProcessPoolExecutor" + pool;
    }

    /** Runs a callable in a worker. Its task was checked to be serializable. */
    @SuppressWarnings("serial")
    private static final class CallTask implements SerializableFunction<Object, Object> {
        private static final long serialVersionUID = 1L;
        private final Callable<?> task;

        CallTask(Callable<?> task) {
            this.task = task;
        }

        @Override
        public Object apply(Object ignored) throws Exception {
            return task.call();
        }
    }

    /** Runs a runnable in a worker and returns the given result. Both cross by serialization, checked at submit. */
    @SuppressWarnings("serial")
    private static final class RunTask implements SerializableFunction<Object, Object> {
        private static final long serialVersionUID = 1L;
        private final Object task;
        private final Object result;

        RunTask(Object task, Object result) {
            this.task = task;
            this.result = result;
        }

        @Override
        public Object apply(Object ignored) throws Exception {
            if (task instanceof SerializableRunnable) {
                ((SerializableRunnable) task).run();
            } else {
                ((Runnable) task).run();
            }
            return result;
        }
    }
}
