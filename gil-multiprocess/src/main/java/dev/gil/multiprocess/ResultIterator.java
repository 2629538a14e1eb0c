package dev.gil.multiprocess;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@link ProcessPool#imap} or {@link ProcessPool#imapUnordered}, as they arrive: Python's
 * {@code IMapIterator}. Like Python's, it is its own {@link Iterable} (one pass only), so it works in a for-each loop.
 *
 * <pre>{@code
 * try (ResultIterator<Integer> squares = pool.imap(x -> x * x, hugeInput)) {
 *     for (int square : squares) {
 *         System.out.println(square);
 *     }
 * }
 * }</pre>
 *
 * <p>The input is read lazily, a bounded number of chunks ahead of what was consumed, so an endless input does not
 * fill memory. A failed task throws {@link TaskFailedException} from {@link #next()} in its place; iteration may go
 * on past it. Interrupting a thread blocked in {@link #hasNext()} or {@link #next()} cancels the work not yet done and
 * throws {@link java.util.concurrent.CancellationException} (the thread stays interrupted). If reading the input threw,
 * the results before that item are returned, then the input's exception is thrown. {@link #close()} cancels the rest.
 * One consumer thread at a time.
 *
 * @param <R> the result type
 */
public interface ResultIterator<R> extends Iterator<R>, Iterable<R>, AutoCloseable {

    /**
     * Returns the next result, waiting at most {@code timeout} for it: Python's {@code next(timeout)}.
     *
     * @param timeout how long to wait
     * @return the next result
     * @throws TimeoutException if no result arrived in time (the iteration can go on)
     * @throws InterruptedException if interrupted while waiting (the remaining work is cancelled)
     * @throws java.util.NoSuchElementException if there are no more results
     * @throws TaskFailedException if the task in this place failed
     */
    R next(Duration timeout) throws TimeoutException, InterruptedException;

    /**
     * Returns this iterator: it can be iterated once.
     *
     * @return this
     */
    @Override
    default Iterator<R> iterator() {
        return this;
    }

    /** Cancels the work not yet done and discards its results. Idempotent. */
    @Override
    void close();
}
