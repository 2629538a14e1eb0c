package dev.gil.multiprocess;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link TaskPool} calls written once, over one small SPI: how the JDK's {@code AbstractExecutorService} gives
 * every executor its {@code invokeAll} over {@code execute}. {@link ProcessPool} and the cluster module's pool are
 * both this front end; a subclass says only how one chunk runs.
 *
 * <pre>{@code
 * class InThisJvm extends AbstractTaskPool {                       // a pool for tests: chunks run at once, here
 *     @Override
 *     protected CompletableFuture<Object[]> submit(Object function, boolean pairs, Object[] arguments,
 *             long firstItem) {
 *         SerializableFunction<Object, Object> fn = (SerializableFunction<Object, Object>) function;
 *         Object[] results = new Object[arguments.length];
 *         try {
 *             for (int i = 0; i < results.length; i++) {
 *                 results[i] = fn.apply(arguments[i]);
 *             }
 *         } catch (Exception e) {
 *             return CompletableFuture.failedFuture(e);                   // the chunk fails as a whole
 *         }
 *         return CompletableFuture.completedFuture(results);
 *     }
 *
 *     @Override
 *     protected int parallelism() {
 *         return 1;
 *     }
 *
 *     @Override
 *     public void close() {
 *         cancelStillReading();
 *     }
 *
 *     @Override
 *     public void terminate() {
 *         close();
 *     }
 * }
 * }</pre>
 *
 * <p><b>What the front end does.</b> It cuts inputs into chunks ({@code map}'s default chunk size is CPython's: about
 * four chunks per {@link #parallelism()}), reads an {@code imap}'s input lazily on the consumer's thread at most
 * {@link #readAhead()} chunks ahead, hands results back in input order or as they finish, turns a chunk's failure
 * into a {@link TaskFailedException} naming the input's index, and keeps the {@code imap} calls still reading their
 * input so that {@link #cancelStillReading()} can stop them when the pool closes.
 *
 * <p><b>What a subclass does.</b> {@link #submit} runs one chunk and completes its future with one result per
 * argument, or exceptionally: with a {@link TaskFailedException} where it knows which task failed, a
 * {@link CancellationException} if the pool was terminated, or any other exception, which fails the chunk as a whole.
 * Cancelling that future withdraws the chunk if it has not started. Thread-safe as long as the subclass's methods are.
 */
public abstract class AbstractTaskPool implements TaskPool {
    /** The {@code imap} calls still reading input: closing the pool cancels them, or it would wait for ever. */
    private final Set<ChunkResults<?>> stillReading = ConcurrentHashMap.newKeySet();

    /** For subclasses. */
    protected AbstractTaskPool() {}

    // -------------------------------------------------------------------------------------------------------------
    // The SPI

    /**
     * Makes a call's function ready to go with each of its chunks, once per call: serialized, say. The default is the
     * function itself.
     *
     * @param function a {@link SerializableFunction}, or for {@code starmap} a {@link SerializableBiFunction}
     * @return what {@link #submit} is given
     * @throws IllegalArgumentException if the function cannot be sent where the chunks run; the message says why
     */
    protected Object prepare(Serializable function) {
        return function;
    }

    /**
     * Runs a function over one chunk of consecutive inputs.
     *
     * @param function what {@link #prepare} returned for the call
     * @param pairs whether the function takes two arguments, each argument then being a two-element {@code Object[]}
     * @param arguments the chunk's inputs
     * @param firstItem the index in the call's input of the chunk's first argument, for messages
     * @return one result per argument, in order; or a failure, as the class description says
     */
    protected abstract CompletableFuture<Object[]> submit(Object function, boolean pairs, Object[] arguments,
            long firstItem);

    /**
     * Runs a function over consecutive chunks of one call, submitted together. The default submits them one by one;
     * a pool that can queue many at once (under one lock, say) does so here.
     *
     * @param function what {@link #prepare} returned for the call
     * @param pairs whether the function takes two arguments
     * @param chunks the chunks' inputs, in input order
     * @param firstItem the index in the call's input of the first chunk's first argument
     * @return a future per chunk, in the same order, as {@link #submit} gives
     */
    protected List<CompletableFuture<Object[]>> submitAll(Object function, boolean pairs, List<Object[]> chunks,
            long firstItem) {
        List<CompletableFuture<Object[]>> futures = new ArrayList<>(chunks.size());
        long item = firstItem;
        for (Object[] chunk : chunks) {
            futures.add(submit(function, pairs, chunk, item));
            item += chunk.length;
        }
        return futures;
    }

    /**
     * Says how many chunks run at once (workers, cluster members).
     *
     * @return at least 1
     */
    protected abstract int parallelism();

    /**
     * Says how many chunks an {@code imap} keeps submitted ahead of its consumer. Default: 16 per
     * {@link #parallelism()}.
     *
     * @return at least 1
     */
    protected int readAhead() {
        return parallelism() * 16;
    }

    /**
     * Refuses a new call when the pool takes none (closed, broken). Default: every call is accepted.
     *
     * @param call the call's name, such as {@code "map"}, for the message
     * @throws IllegalStateException naming why the call cannot be made
     */
    protected void checkAccepting(String call) {}

    /**
     * Cancels the {@code imap} and {@code imapUnordered} calls that are still reading their input (say their loop
     * ended with {@code break}): they read and compute nothing more, and their iterators throw
     * {@link CancellationException} if used again. For {@link #close()}, which would otherwise wait for them for ever.
     */
    protected final void cancelStillReading() {
        for (ChunkResults<?> results : List.copyOf(stillReading)) {
            if (!results.submitsNoMore()) {
                results.cancelAtPoolClose();
            }
        }
        stillReading.clear();
    }

    // -------------------------------------------------------------------------------------------------------------
    // The calls

    @Override
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        Collection<? extends T> all = materialize(Objects.requireNonNull(items, "items"));
        return map(fn, all, defaultChunksize(all.size()));
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize) {
        Collection<? extends T> all = materialize(Objects.requireNonNull(items, "items"));
        return this.<R>start("map", fn, false, all, chunksize, true, Integer.MAX_VALUE).toList(all.size());
    }

    /**
     * Applies a two-argument function to every pair, Python's {@code starmap}: each {@link Map.Entry} holds the two
     * arguments (its key first). Results in input order, with a default chunk size.
     *
     * <pre>{@code
     * List<Integer> powers = pool.starmap((b, e) -> (int) Math.pow(b, e), List.of(Map.entry(2, 10), Map.entry(3, 3)));
     * }</pre>
     *
     * @param fn the function
     * @param pairs the argument pairs
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result type
     * @return the results, in input order
     * @throws TaskFailedException if a task failed (the rest of the call is cancelled)
     */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        Collection<? extends Map.Entry<? extends A, ? extends B>> all = materialize(
                Objects.requireNonNull(pairs, "pairs"));
        return starmap(fn, all, defaultChunksize(all.size()));
    }

    /**
     * Like {@link #starmap(SerializableBiFunction, Iterable)}, with {@code chunksize} pairs per message.
     *
     * @param fn the function
     * @param pairs the argument pairs
     * @param chunksize pairs per message, at least 1
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the result type
     * @return the results, in input order
     * @throws TaskFailedException if a task failed (the rest of the call is cancelled)
     */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize) {
        Collection<?> all = materialize(Objects.requireNonNull(pairs, "pairs"));
        return this.<R>start("starmap", fn, true, all, chunksize, true, Integer.MAX_VALUE).toList(all.size());
    }

    @Override
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize) {
        return start("imap", fn, false, Objects.requireNonNull(items, "items"), chunksize, true, readAhead());
    }

    @Override
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize) {
        return start("imapUnordered", fn, false, Objects.requireNonNull(items, "items"), chunksize, false,
                readAhead());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Cancelling the future withdraws the task if it has not started; a running task runs to its end (its result
     * is discarded). The future may be completed on a pool thread: dependent actions given no executor run there and
     * should be short.
     */
    @Override
    public <T, R> CompletableFuture<R> applyAsync(SerializableFunction<? super T, ? extends R> fn, T argument) {
        Objects.requireNonNull(fn, "fn");
        checkAccepting("applyAsync");
        return oneResult(submit(prepare(fn), false, new Object[] {argument}, 0));
    }

    /**
     * The future of a chunk's only result. It fails with the task's own exception (as {@code applyAsync} promises),
     * a {@link WorkerDiedException}, or a cancellation; cancelling it withdraws the chunk.
     */
    @SuppressWarnings("unchecked")
    static <R> CompletableFuture<R> oneResult(CompletableFuture<Object[]> chunk) {
        CompletableFuture<R> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                chunk.cancel(mayInterruptIfRunning);
                return cancelled;
            }

            @Override
            public <U> CompletableFuture<U> newIncompleteFuture() {
                return new CompletableFuture<>(); // a dependent stage's cancel must not withdraw this task
            }
        };
        chunk.whenComplete((results, failure) -> {
            if (failure == null) {
                result.complete((R) results[0]);
            } else {
                result.completeExceptionally(unwrapped(failure));
            }
        });
        return result;
    }

    /**
     * The task's own exception, where a subclass wrapped it in a {@link TaskFailedException} to name its index (or a
     * {@code CompletableFuture} stage in a {@link CompletionException}).
     */
    private static Throwable unwrapped(Throwable failure) {
        if (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof TaskFailedException && !(failure instanceof WorkerDiedException)
                && failure.getCause() != null) {
            return failure.getCause();
        }
        return failure;
    }

    private <R> ChunkResults<R> start(String call, Serializable fn, boolean pairs, Iterable<?> items,
            int chunksize, boolean ordered, int readAhead) {
        Objects.requireNonNull(fn, "fn");
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1 but was " + chunksize);
        }
        checkAccepting(call);
        Object prepared = prepare(fn);
        ChunkResults<R> results = new ChunkResults<>(call, items, chunksize, pairs, ordered, readAhead,
                (chunks, firstItem) -> submitAll(prepared, pairs, chunks, firstItem));
        if (readAhead != Integer.MAX_VALUE) {
            stillReading.removeIf(ChunkResults::submitsNoMore); // the calls read to the end or closed since
            stillReading.add(results);
        }
        results.topUp();
        return results;
    }

    /** CPython's {@code Pool.map} default: about four chunks per worker. */
    private int defaultChunksize(int items) {
        int chunks = parallelism() * 4;
        return Math.max(1, items / chunks + (items % chunks == 0 ? 0 : 1));
    }

    private static <T> Collection<T> materialize(Iterable<T> items) {
        if (items instanceof Collection) {
            return (Collection<T>) items;
        }
        List<T> all = new ArrayList<>();
        items.forEach(all::add);
        return all;
    }
}
