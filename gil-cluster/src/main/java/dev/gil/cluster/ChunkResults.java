package dev.gil.cluster;

import dev.gil.multiprocess.ResultIterator;
import dev.gil.multiprocess.TaskFailedException;
import dev.gil.multiprocess.internal.Timeouts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The results of a {@link ClusterPool} call, chunk by chunk: the input is read on the consumer's thread, at most
 * {@code readAhead} chunks ahead, and results come in input order or in the order they finish. The same contract as
 * {@code ProcessPool}'s iterators: a failed chunk throws {@link TaskFailedException} in its place; an input that throws
 * yields the results before it, then its exception.
 */
final class ChunkResults<R> implements ResultIterator<R> {
    private final Iterator<?> input;
    private final int chunksize;
    private final boolean ordered;
    private final int readAhead;
    private final Function<Object[], CompletableFuture<Object[]>> submit;
    /** Submitted chunks in input order, with the index of their first item. */
    private final ArrayDeque<Submitted> inOrder = new ArrayDeque<>();
    private final LinkedBlockingQueue<Submitted> finished = new LinkedBlockingQueue<>();
    /** The submitted chunks not yet done, so that closing can cancel them. */
    private final Set<CompletableFuture<Object[]>> live = ConcurrentHashMap.newKeySet();
    private int outstanding;
    /** Set by the pool's {@code close()}: an iterator still reading its input computes nothing more. */
    private volatile boolean cancelledByClose;
    private long itemsRead;
    private boolean inputDone;
    private RuntimeException inputFailure;
    private Object[] current;
    private int position;
    private RuntimeException failureInPlace;
    private boolean closed;

    private record Submitted(CompletableFuture<Object[]> future, long firstItem) {}

    ChunkResults(Iterator<?> input, int chunksize, boolean ordered, int readAhead,
            Function<Object[], CompletableFuture<Object[]>> submit) {
        this.input = input;
        this.chunksize = chunksize;
        this.ordered = ordered;
        this.readAhead = readAhead;
        this.submit = submit;
    }

    /** Reads and submits chunks until {@code readAhead} are outstanding or the input ends. */
    void topUp() {
        while (!inputDone && outstanding < readAhead) {
            List<Object> chunk = new ArrayList<>(Math.min(chunksize, 4096));
            long first = itemsRead;
            try {
                while (chunk.size() < chunksize && input.hasNext()) {
                    chunk.add(input.next());
                    itemsRead++;
                }
                inputDone = chunk.size() < chunksize;
            } catch (RuntimeException e) {
                inputFailure = e;
                inputDone = true;
            }
            if (!chunk.isEmpty()) {
                Submitted submitted = new Submitted(submit.apply(chunk.toArray()), first);
                live.add(submitted.future());
                submitted.future().whenComplete((value, failure) -> live.remove(submitted.future()));
                outstanding++;
                if (ordered) {
                    inOrder.add(submitted);
                } else {
                    submitted.future().whenComplete((value, failure) -> finished.add(submitted));
                }
            }
        }
    }

    @Override
    public boolean hasNext() {
        try {
            return advance(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted: the remaining work is cancelled");
        } catch (TimeoutException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        return take();
    }

    @Override
    public R next(Duration timeout) throws TimeoutException, InterruptedException {
        if (!advance(Timeouts.nanos(timeout))) {
            throw new NoSuchElementException("no more results");
        }
        return take();
    }

    @SuppressWarnings("unchecked")
    private R take() {
        RuntimeException failure = failureInPlace;
        if (failure != null) {
            failureInPlace = null;
            throw failure;
        }
        return (R) current[position++];
    }

    private boolean advance(long timeoutNanos) throws InterruptedException, TimeoutException {
        if (failureInPlace != null || current != null && position < current.length) {
            return true;
        }
        current = null;
        if (cancelledByClose && !closed) {
            close();
            throw new CancellationException("the pool was closed while this iterator was still reading its input"
                    + " (after " + itemsRead + " items): the rest is not computed");
        }
        if (closed) {
            return false;
        }
        topUp();
        if (outstanding == 0) {
            closed = true;
            failureInPlace = inputFailure;
            return failureInPlace != null;
        }
        Submitted next = ordered ? inOrder.poll() : timeoutNanos == Long.MAX_VALUE ? finished.take()
                : finished.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (next == null) {
            throw new TimeoutException("no result within " + Duration.ofNanos(timeoutNanos));
        }
        try {
            Object[] results = timeoutNanos == Long.MAX_VALUE ? next.future().get()
                    : next.future().get(timeoutNanos, TimeUnit.NANOSECONDS);
            current = results;
            position = 0;
        } catch (TimeoutException e) {
            if (ordered) {
                inOrder.addFirst(next);
            }
            throw e;
        } catch (ExecutionException e) {
            failureInPlace = TaskFailedException.of(e.getCause(), next.firstItem());
        } catch (CancellationException e) {
            failureInPlace = e;
        }
        outstanding--;
        topUp();
        return failureInPlace != null || current.length > 0 || advance(timeoutNanos);
    }

    /** The pool is closing: cancels what this iterator submitted, and its next use throws. Any thread. */
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
            future.cancel(true);
        }
    }
}
