package dev.gil.multiprocess;

import dev.gil.multiprocess.internal.PoolProtocol;
import dev.gil.multiprocess.internal.Timeouts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@code map} or {@code imap} call: reads the input lazily on the consumer's thread, at most {@code readAhead}
 * chunks ahead of what was consumed, and hands back results in input order or in the order they finish.
 */
final class MapJob<R> extends PoolJob implements ResultIterator<R> {
    private final ProcessPool pool;
    private final Iterator<?> input;
    private final int chunksize;
    private final boolean ordered;
    private final int readAhead;
    private final String call;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Ordered: chunk index to its outcome (results array or failure). Guarded by {@code lock}. */
    private final Map<Integer, Object> outcomesByChunk = new HashMap<>();
    /** Unordered: outcomes as they finish. Guarded by {@code lock}. */
    private final ArrayDeque<Object> outcomesInOrderOfFinish = new ArrayDeque<>();

    // The consumer's own state.
    private int submittedChunks;
    private int consumedChunks;
    private long itemsRead;
    private boolean inputDone;
    private RuntimeException inputFailure;
    private Error inputError;
    private Object[] current;
    private int position;
    /** A failure to throw from the next {@link #next()}, in place of a result. */
    private RuntimeException failureInPlace;
    private Error errorInPlace;
    private boolean closed;
    /** The pool was closed while this call still read input. Guarded by {@code lock}. */
    private boolean cancelledByPoolClose;

    MapJob(ProcessPool pool, ShippedFunction function, byte shape, Iterator<?> input, int chunksize, boolean ordered,
            int readAhead, String call) {
        super(function, shape);
        this.pool = pool;
        this.input = input;
        this.chunksize = chunksize;
        this.ordered = ordered;
        this.readAhead = readAhead;
        this.call = call;
    }

    @Override
    void chunkDone(Chunk chunk, Object[] results) {
        store(chunk, results);
    }

    @Override
    void chunkFailed(Chunk chunk, int index, Throwable failure) {
        store(chunk, failure instanceof CancellationException ? failure : TaskFailedException.of(failure, chunk.itemAt(index)));
    }

    private void store(Chunk chunk, Object outcome) {
        if (cancelled) {
            return;
        }
        lock.lock();
        try {
            if (ordered) {
                outcomesByChunk.put(chunk.index, outcome);
            } else {
                outcomesInOrderOfFinish.add(outcome);
            }
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Sends the first chunks; called once by the pool before handing the iterator out. */
    void start() {
        topUp();
    }

    @Override
    public boolean hasNext() {
        try {
            return advance(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new CancellationException(call + " was interrupted: its remaining work is cancelled");
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results from this " + call);
        }
        return take();
    }

    /** Throws the failure in place of the next result, if there is one. */
    private void throwFailureInPlace() {
        RuntimeException failure = failureInPlace;
        Error error = errorInPlace;
        failureInPlace = null;
        errorInPlace = null;
        if (error != null) {
            throw error;
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public R next(Duration timeout) throws TimeoutException, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        boolean more;
        try {
            more = advance(Timeouts.nanos(timeout));
        } catch (InterruptedException e) {
            close();
            throw e;
        }
        if (!more) {
            throw new NoSuchElementException("no more results from this " + call);
        }
        return take();
    }

    @SuppressWarnings("unchecked")
    private R take() {
        throwFailureInPlace();
        R result = (R) current[position];
        current[position++] = null;
        return result;
    }

    /** Drains the results into a list; on a failure, cancels the rest and rethrows. */
    List<R> toList(int expectedSize) {
        List<R> results = new ArrayList<>(expectedSize);
        try {
            while (hasNext()) {
                results.add(take());
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        return results;
    }

    /**
     * Makes a result available at {@code current[position]} (or a failure in its place: a failed chunk's exception,
     * or the input's after every result read before it), or tells there is none left.
     */
    private boolean advance(long timeoutNanos) throws InterruptedException, TimeoutException {
        if (failureInPlace != null || errorInPlace != null || current != null && position < current.length) {
            return true;
        }
        current = null;
        if (closed) {
            return false;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        for (;;) {
            Object outcome = awaitOutcome(deadline, timeoutNanos);
            if (outcome == null) {
                return endOfResults();
            }
            consumedChunks++;
            topUp();
            if (outcome instanceof RuntimeException) {
                failureInPlace = (RuntimeException) outcome;
                return true;
            }
            Object[] results = (Object[]) outcome;
            if (results.length > 0) {
                current = results;
                position = 0;
                return true;
            }
        }
    }

    /** The next outcome, or {@code null} when every submitted chunk was consumed and the input is done. */
    private Object awaitOutcome(long deadline, long timeoutNanos) throws InterruptedException, TimeoutException {
        lock.lock();
        try {
            for (;;) {
                if (cancelledByPoolClose) {
                    throw new CancellationException(call + " was cancelled: its pool was closed while it was still "
                            + "reading input (results already taken stand; nothing more is computed)");
                }
                Object outcome = ordered ? outcomesByChunk.remove(consumedChunks) : outcomesInOrderOfFinish.poll();
                if (outcome != null) {
                    return outcome;
                }
                if (consumedChunks == submittedChunks) {
                    if (inputDone) {
                        return null;
                    }
                    topUpLocked();
                    continue;
                }
                if (timeoutNanos == Long.MAX_VALUE) {
                    arrived.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException("no result from this " + call + " within "
                                + Duration.ofNanos(timeoutNanos));
                    }
                    arrived.awaitNanos(left);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean endOfResults() {
        closed = true;
        errorInPlace = inputError;
        failureInPlace = inputFailure;
        inputError = null;
        inputFailure = null;
        return errorInPlace != null || failureInPlace != null;
    }

    /** Reads input and submits chunks until {@code readAhead} chunks are outstanding or the input ends. */
    private void topUp() {
        if (inputDone || cancelled || submittedChunks - consumedChunks >= readAhead) {
            return;
        }
        List<Chunk> chunks = new ArrayList<>();
        while (!inputDone && submittedChunks - consumedChunks < readAhead) {
            Chunk chunk = readChunk();
            if (chunk != null) {
                chunks.add(chunk);
                submittedChunks++;
            }
        }
        if (!chunks.isEmpty()) {
            pool.submit(chunks);
        }
        if (inputDone) {
            pool.jobEnded(this); // it submits nothing more: closing the pool need not wait for its consumer
        }
    }

    /** {@link #topUp()} while holding {@code lock}, which workers' threads only take briefly. */
    private void topUpLocked() {
        lock.unlock();
        try {
            topUp();
        } finally {
            lock.lock();
        }
    }

    private Chunk readChunk() {
        List<Object> arguments = new ArrayList<>(Math.min(chunksize, 4096));
        long first = itemsRead;
        try {
            while (arguments.size() < chunksize && input.hasNext()) {
                arguments.add(input.next());
                itemsRead++;
            }
            if (arguments.size() < chunksize) {
                inputDone = true;
            }
        } catch (RuntimeException e) {
            inputFailure = e;
            inputDone = true;
        } catch (Error e) {
            inputError = e;
            inputDone = true;
        }
        return arguments.isEmpty() ? null : new Chunk(this, submittedChunks, first, toArguments(arguments));
    }

    /** For a two-argument function, each input is a {@link Map.Entry} and travels as a two-element array. */
    private Object[] toArguments(List<Object> items) {
        if (shape != PoolProtocol.PAIR) {
            return items.toArray();
        }
        Object[] pairs = new Object[items.size()];
        for (int i = 0; i < pairs.length; i++) {
            if (items.get(i) == null) {
                throw new NullPointerException("input #" + (itemsRead - pairs.length + i) + " of " + call
                        + " is null; it must be a Map.Entry holding the two arguments");
            }
            Map.Entry<?, ?> entry = (Map.Entry<?, ?>) items.get(i);
            pairs[i] = new Object[] {entry.getKey(), entry.getValue()};
        }
        return pairs;
    }

    /**
     * The pool is closing while this call still reads input (its consumer may have left the loop with {@code break}
     * and never come back): nothing more is read or computed, and a consumer that does come back gets a
     * {@link CancellationException}. Called by the pool, from any thread.
     */
    void cancelAtPoolClose() {
        cancelled = true;
        pool.withdraw(this);
        lock.lock();
        try {
            cancelledByPoolClose = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        pool.jobEnded(this);
    }

    @Override
    public void close() {
        if (!cancelled) {
            cancelled = true;
            closed = true;
            pool.withdraw(this);
            pool.jobEnded(this);
        }
    }

    @Override
    public String toString() {
        return call + "[" + consumedChunks + " of " + submittedChunks + " chunks consumed"
                + (inputDone ? ", input read" : "") + (cancelled ? ", cancelled" : "") + "]";
    }
}
