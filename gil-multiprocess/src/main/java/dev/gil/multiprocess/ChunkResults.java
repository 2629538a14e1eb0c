package dev.gil.multiprocess;

import dev.gil.multiprocess.internal.Timeouts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The results of one {@link AbstractTaskPool} call, chunk by chunk: the input is read on the consumer's thread, at
 * most {@code readAhead} chunks ahead of what was consumed, and results come in input order or in the order they
 * finish. A failed chunk throws {@link TaskFailedException} in its place; an input that throws yields the results
 * before it, then its exception. One consumer thread; chunks complete on any thread.
 */
final class ChunkResults<R> implements ResultIterator<R> {
    /** Submits consecutive chunks, the first starting at {@code firstItem} of the call's input; a future each. */
    @FunctionalInterface
    interface Submitter {
        List<CompletableFuture<Object[]>> submit(List<Object[]> chunks, long firstItem);
    }

    /**
     * Lists whose reading cannot fail part-way, so that a chunk may be copied out of them at once: the JDK's
     * {@code ArrayList}, {@code Arrays.asList} and {@code List.of}. Any other input is read item by item, so that an
     * input that throws yields the results of the items before the failure, as promised.
     */
    private static final Set<Class<?>> SLICEABLE = new HashSet<>(Arrays.asList(ArrayList.class,
            Arrays.asList().getClass(), List.of().getClass(), List.of(1).getClass(), List.of(1, 2, 3).getClass()));

    private final String call;
    /** The input as an iterator, or null when it is {@link #inputList}. */
    private final Iterator<?> input;
    /** The input when it is a {@link #SLICEABLE} list of single arguments: chunks are copied out of it at once. */
    private final List<?> inputList;
    private final int chunksize;
    private final boolean pairs;
    private final boolean ordered;
    private final int readAhead;
    private final Submitter submitter;

    /** Ordered: submitted chunks in input order. The consumer's. */
    private final ArrayDeque<Submitted> inOrder = new ArrayDeque<>();
    /** Unordered: chunks as they finish. */
    private final LinkedBlockingQueue<Submitted> finished = new LinkedBlockingQueue<>();
    /** Chunks not finished, so that closing can cancel them. */
    private final Set<CompletableFuture<Object[]>> live = ConcurrentHashMap.newKeySet();
    /** Set when the pool closed while this call still read its input. */
    private volatile boolean cancelledByClose;

    // The consumer's own state.
    private int outstanding;
    private long itemsRead;
    /** Read by the pool's {@code close()} on another thread. */
    private volatile boolean inputDone;
    private RuntimeException inputFailure;
    private Error inputError;
    private Object[] current;
    private int position;
    /** A failure to throw from the next {@link #next()}, in place of a result. */
    private RuntimeException failureInPlace;
    private Error errorInPlace;
    /** Read by the pool's {@code close()} on another thread. */
    private volatile boolean closed;

    private record Submitted(CompletableFuture<Object[]> future, long firstItem) {}

    ChunkResults(String call, Iterable<?> input, int chunksize, boolean pairs, boolean ordered, int readAhead,
            Submitter submitter) {
        this.call = call;
        this.inputList = !pairs && SLICEABLE.contains(input.getClass()) ? (List<?>) input : null;
        this.input = inputList == null ? input.iterator() : null;
        this.chunksize = chunksize;
        this.pairs = pairs;
        this.ordered = ordered;
        this.readAhead = readAhead;
        this.submitter = submitter;
    }

    /** Reads and submits chunks until {@code readAhead} are outstanding or the input ends. */
    void topUp() {
        if (inputDone || closed || cancelledByClose) {
            return;
        }
        long first = itemsRead;
        List<Object[]> chunks = new ArrayList<>();
        while (!inputDone && outstanding + chunks.size() < readAhead) {
            Object[] arguments = readChunk();
            if (arguments.length > 0) {
                chunks.add(arguments);
            }
        }
        if (chunks.isEmpty()) {
            return;
        }
        List<CompletableFuture<Object[]>> futures = submitter.submit(chunks, first); // at once: one queueing
        for (int i = 0; i < futures.size(); i++) {
            Submitted submitted = new Submitted(futures.get(i), first);
            first += chunks.get(i).length;
            CompletableFuture<Object[]> future = submitted.future();
            live.add(future);
            outstanding++;
            if (ordered) {
                inOrder.add(submitted);
            }
            future.whenComplete((results, failure) -> {
                live.remove(future);
                if (!ordered) {
                    finished.add(submitted);
                }
            });
        }
    }

    /** Whether the call submits nothing more: its input was read to the end, or it was closed. Any thread. */
    boolean submitsNoMore() {
        return inputDone || closed || cancelledByClose;
    }

    private Object[] readChunk() {
        if (inputList != null) {
            return sliceChunk();
        }
        List<Object> arguments = new ArrayList<>(Math.min(chunksize, 4096));
        try {
            while (arguments.size() < chunksize && input.hasNext()) {
                arguments.add(pairs ? pair(input.next()) : input.next());
                itemsRead++;
            }
            inputDone = arguments.size() < chunksize;
        } catch (RuntimeException e) {
            inputFailure = e;
            inputDone = true;
        } catch (Error e) {
            inputError = e;
            inputDone = true;
        }
        return arguments.toArray();
    }

    /**
     * The next chunk of a random-access list in one copy. A call per item would do the same, but a fresh JVM runs it
     * in its interpreter for a script's first calls: a few hundred nanoseconds an item.
     */
    private Object[] sliceChunk() {
        try {
            int size = inputList.size();
            int from = (int) itemsRead;
            int to = (int) Math.min((long) from + chunksize, size);
            Object[] arguments = inputList.subList(from, to).toArray();
            itemsRead = to;
            inputDone = to >= size;
            return arguments;
        } catch (RuntimeException e) { // a list changed while it was read: what its iterator would throw
            inputFailure = e;
            inputDone = true;
            return new Object[0];
        }
    }

    /** For a two-argument function, each input is a {@link Map.Entry}; it travels as a two-element array. */
    private Object pair(Object item) {
        if (!(item instanceof Map.Entry)) {
            throw new IllegalArgumentException("input #" + itemsRead + " of " + call + " is " + item
                    + "; it must be a Map.Entry holding the two arguments");
        }
        Map.Entry<?, ?> entry = (Map.Entry<?, ?>) item;
        return new Object[] {entry.getKey(), entry.getValue()};
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
        R result = (R) current[position];
        current[position++] = null;
        return result;
    }

    /** Drains the results into a list; on a failure, cancels the rest and rethrows. */
    List<R> toList(int expectedSize) {
        List<R> results = new ArrayList<>(expectedSize);
        try {
            while (hasNext()) {
                if (failureInPlace != null || errorInPlace != null) {
                    results.add(take()); // throws it
                } else {
                    results.addAll(restOfChunk());
                }
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        return results;
    }

    /**
     * The current chunk's results not taken yet, taken at once: one copy, where {@link #take} is a call per result
     * (which a fresh JVM interprets).
     */
    @SuppressWarnings("unchecked")
    private List<R> restOfChunk() {
        Object[] rest = position == 0 ? current : Arrays.copyOfRange(current, position, current.length);
        position = current.length;
        return (List<R>) Arrays.asList(rest);
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
        long deadline = System.nanoTime() + timeoutNanos;
        for (;;) {
            checkNotCancelledByClose();
            if (closed) {
                return false;
            }
            topUp();
            if (outstanding == 0) {
                closed = true;
                errorInPlace = inputError;
                failureInPlace = inputFailure;
                return errorInPlace != null || failureInPlace != null;
            }
            Submitted next = nextFinished(deadline, timeoutNanos);
            try {
                current = timeoutNanos == Long.MAX_VALUE ? next.future().get()
                        : next.future().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                position = 0;
            } catch (TimeoutException e) {
                inOrder.addFirst(next);
                throw timedOut(timeoutNanos);
            } catch (ExecutionException e) {
                failureInPlace = TaskFailedException.of(e.getCause(), next.firstItem());
            } catch (CancellationException e) {
                checkNotCancelledByClose();
                failureInPlace = e;
            }
            outstanding--;
            topUp();
            if (failureInPlace != null || current.length > 0) {
                return true;
            }
        }
    }

    /** The next chunk to consume: in input order, or the next to finish. */
    private Submitted nextFinished(long deadline, long timeoutNanos) throws InterruptedException, TimeoutException {
        if (ordered) {
            return inOrder.poll();
        }
        Submitted next = timeoutNanos == Long.MAX_VALUE ? finished.take()
                : finished.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (next == null) {
            throw timedOut(timeoutNanos);
        }
        return next;
    }

    private TimeoutException timedOut(long timeoutNanos) {
        return new TimeoutException("no result from this " + call + " within " + Duration.ofNanos(timeoutNanos));
    }

    /** Throws once, the first time the consumer comes back after the pool's close cancelled this call. */
    private void checkNotCancelledByClose() {
        if (cancelledByClose && !closed) {
            closed = true;
            throw new CancellationException(call + " was cancelled: the pool was closed while it was still reading "
                    + "its input, after " + itemsRead + " items (results already taken stand; nothing more is "
                    + "computed)");
        }
    }

    /** The pool is closing: cancels what this call submitted, and its next use throws. Any thread. */
    void cancelAtPoolClose() {
        cancelledByClose = true;
        cancelLive();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cancelLive();
        }
    }

    private void cancelLive() {
        for (CompletableFuture<Object[]> future : List.copyOf(live)) {
            future.cancel(false);
        }
    }

    @Override
    public String toString() {
        return call + "[" + outstanding + " chunks outstanding, " + itemsRead + " items read"
                + (inputDone ? ", input done" : "") + (closed ? ", closed" : "") + "]";
    }
}
