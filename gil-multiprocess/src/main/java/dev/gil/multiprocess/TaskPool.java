package dev.gil.multiprocess;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A pool that runs functions over inputs somewhere else: Python's {@code multiprocessing.Pool} API, for code that
 * should not care whether the work runs in child JVMs on this machine ({@link ProcessPool}) or elsewhere. Every
 * method is thread-safe.
 *
 * <pre>{@code
 * try (TaskPool pool = ProcessPool.create(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));   // [1, 4, 9]
 * }
 * }</pre>
 */
public interface TaskPool extends AutoCloseable {

    /**
     * Applies {@code fn} to every item and returns the results in input order, with a default chunk size.
     *
     * @param fn the function
     * @param items the inputs
     * @param <T> the input type
     * @param <R> the result type
     * @return the results, in input order
     * @throws TaskFailedException if a task failed (the rest of the call is cancelled)
     */
    <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items);

    /**
     * Applies {@code fn} to every item, sending {@code chunksize} items per message to a worker.
     *
     * @param fn the function
     * @param items the inputs
     * @param chunksize items per message, at least 1
     * @param <T> the input type
     * @param <R> the result type
     * @return the results, in input order
     * @throws TaskFailedException if a task failed (the rest of the call is cancelled)
     */
    <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize);

    /**
     * Applies {@code fn} to the items lazily, returning results in input order as they become available, one item
     * per message (Python's default for {@code imap}).
     *
     * @param fn the function
     * @param items the inputs, read a bounded number of chunks ahead
     * @param <T> the input type
     * @param <R> the result type
     * @return the results
     */
    default <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items) {
        return imap(fn, items, 1);
    }

    /**
     * Like {@link #imap(SerializableFunction, Iterable)}, with {@code chunksize} items per message.
     *
     * @param fn the function
     * @param items the inputs
     * @param chunksize items per message, at least 1
     * @param <T> the input type
     * @param <R> the result type
     * @return the results
     */
    <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize);

    /**
     * Like {@link #imap(SerializableFunction, Iterable)}, but results come in the order they finish; one item per
     * message.
     *
     * @param fn the function
     * @param items the inputs
     * @param <T> the input type
     * @param <R> the result type
     * @return the results
     */
    default <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items) {
        return imapUnordered(fn, items, 1);
    }

    /**
     * Like {@link #imapUnordered(SerializableFunction, Iterable)}, with {@code chunksize} items per message.
     *
     * @param fn the function
     * @param items the inputs
     * @param chunksize items per message, at least 1
     * @param <T> the input type
     * @param <R> the result type
     * @return the results
     */
    <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize);

    /**
     * Applies {@code fn} to one argument in a worker and waits for the result: {@link #applyAsync} and a wait.
     *
     * @param fn the function
     * @param argument the argument
     * @param <T> the argument type
     * @param <R> the result type
     * @return the result
     * @throws TaskFailedException if the task failed; its cause is the task's exception
     * @throws CancellationException if the waiting thread was interrupted (the task is cancelled, the thread stays
     *     interrupted) or the pool was terminated
     */
    default <T, R> R apply(SerializableFunction<? super T, ? extends R> fn, T argument) {
        CompletableFuture<R> result = applyAsync(fn, argument);
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw TaskFailedException.of(e.getCause(), 0);
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("apply was interrupted: its task is cancelled");
        }
    }

    /**
     * Applies {@code fn} to one argument in a worker.
     *
     * @param fn the function
     * @param argument the argument
     * @param <T> the argument type
     * @param <R> the result type
     * @return the result to come; a failure completes it with the task's exception (or a
     *     {@link WorkerDiedException})
     */
    <T, R> CompletableFuture<R> applyAsync(SerializableFunction<? super T, ? extends R> fn, T argument);

    /** Accepts no new work, finishes what was submitted, and stops the workers; returns when they are gone. */
    @Override
    void close();

    /** Stops now: work not finished fails with {@link java.util.concurrent.CancellationException}. */
    void terminate();
}
