package dev.gil.multiprocess;

import static com.google.common.base.Preconditions.checkState;

import dev.gil.multiprocess.internal.FrameChannel;
import dev.gil.multiprocess.internal.Limits;
import dev.gil.multiprocess.internal.PoolProtocol;
import dev.gil.multiprocess.internal.SerialCodec;
import dev.gil.multiprocess.internal.ValueCodec;
import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of worker JVMs that map functions over inputs: Python's {@code multiprocessing.Pool}, without its hangs.
 *
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.create(2)) {                     // with Pool(2) as pool:
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));  //     pool.map(square, [1, 2, 3])
 *     CompletableFuture<Long> big = pool.applyAsync(Work::count, 50_000_000L);
 *     for (int square : pool.imap(x -> x * x, hugeInput)) {           //     lazy, bounded read-ahead
 *         total += square;
 *     }
 * }                                                                    // close(): finish, then stop the workers
 * }</pre>
 *
 * <p><b>How work moves.</b> Inputs are cut into chunks ({@code chunksize} inputs each; {@code map}'s default is
 * CPython's: about four chunks per worker). Each worker is kept a few chunks ahead, enough to hide the round trip
 * without hoarding work: how many follows from how long its chunks take. The function is sent to each worker once per
 * distinct function; inputs and results that are all {@code Integer}, {@code Long}, {@code Double} or {@code String}
 * travel packed, anything else by Java serialization (filtered on arrival, see {@link JvmProcess}).
 *
 * <p><b>Failures.</b> A task's exception fails that task only, with {@link TaskFailedException} (its cause is the
 * exception from the worker, with the worker's stack trace); {@code map} then cancels the rest of its call. An input
 * or result that cannot be serialized fails its task the same way, and the worker carries on. When a worker dies
 * mid-task ({@code kill -9}, {@code System.exit}, a crash), the task it was running fails with
 * {@link WorkerDiedException}, the tasks queued behind it go to other workers, and a replacement is started: unlike
 * CPython, the pool never hangs and never breaks for good. A worker whose task threw a {@link VirtualMachineError}
 * (such as {@link OutOfMemoryError}) reports it and is replaced too.
 *
 * <p><b>Lifecycle.</b> {@link #close()} accepts no new calls, finishes the {@code map}, {@code apply} and
 * {@code starmap} calls already made, and waits for the workers to exit; it never waits for ever. An {@code imap} or
 * {@code imapUnordered} that is still reading its input when the pool closes (say its loop ended with
 * {@code break}) is cancelled: it reads and computes nothing more, and its iterator throws
 * {@link CancellationException} if it is used again.
 * {@link #terminate()} stops at once: unfinished tasks fail with {@link CancellationException} and the workers are
 * killed. Workers are daemon children: they die with this JVM. Their output reaches this JVM's standard streams line
 * by line, each line prefixed with the worker's name; the worker's main thread carries that name too, for logging
 * patterns with {@code %thread}.
 *
 * <p>Thread-safe: any number of threads may call {@code map} and friends at once.
 */
public final class ProcessPool implements TaskPool {
    /** SLF4J on first use: a program that never hears from us does not start its logging backend for us. */
    private static final class Log {
        static final Logger logger = LoggerFactory.getLogger(ProcessPool.class);
    }

    private static final AtomicInteger poolCounter = new AtomicInteger();
    private static final AtomicInteger functionIds = new AtomicInteger();
    private static final int START_ATTEMPTS = 3;

    private enum State { RUNNING, CLOSING, CLOSED }

    private final String name;
    private final int processes;
    private final SerializableRunnable initializer;
    private final int maxTasksPerChild;
    private final List<String> jvmOptions;
    private final boolean warmStart;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition allGone = lock.newCondition();
    /** Guarded by {@code lock}. */
    private final ArrayDeque<PoolJob.Chunk> pending = new ArrayDeque<>();
    /** Ready workers that have not ended. Guarded by {@code lock}. */
    private final List<PoolWorker> workers = new ArrayList<>();
    /** {@code imap} calls still reading input. Guarded by {@code lock}. */
    private final Set<MapJob<?>> lazyJobs = new HashSet<>();
    /** Guarded by {@code lock}. */
    private State state = State.RUNNING;
    /** Guarded by {@code lock}. */
    private boolean terminated;
    /** Why the pool has no workers and cannot start any, or null. Guarded by {@code lock}. */
    private RuntimeException broken;
    /** Replacements being started. Guarded by {@code lock}. */
    private int workersStarting;
    /** Guarded by {@code lock}. */
    private long lastChunkId;

    private final AtomicInteger workerCounter = new AtomicInteger();
    /** Handles worker ends and starts replacements, one at a time. */
    private final ExecutorService supervisor;
    /**
     * Functions by their serialized form, so a worker reads each distinct function once; the 1,024 used last. A
     * map rather than Guava's cache, whose first use costs a script's fresh JVM tens of milliseconds
     * ({@code java.util.logging} comes with it). Guarded by itself.
     */
    private final Map<ByteBuffer, PoolJob.ShippedFunction> shipped = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, PoolJob.ShippedFunction> eldest) {
            return size() > 1024;
        }
    };

    private ProcessPool(Builder builder) {
        this.name = builder.name != null ? builder.name : "ProcessPool-" + poolCounter.incrementAndGet();
        this.processes = builder.processes;
        this.initializer = builder.initializer;
        this.maxTasksPerChild = builder.maxTasksPerChild;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.warmStart = builder.warmStart;
        String supervisorName = name + "-supervisor"; // no name format: String.format's first use costs a fresh JVM
        this.supervisor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, supervisorName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts a pool of {@code processes} workers: Python's {@code Pool(processes)}. Returns once every worker is up.
     *
     * @param processes how many worker JVMs, at least 1
     * @return the pool
     * @throws IllegalArgumentException if {@code processes} is less than 1
     * @throws IllegalStateException if a worker could not be started
     */
    public static ProcessPool create(int processes) {
        return builder().processes(processes).build();
    }

    /**
     * Starts a pool with one worker per available processor.
     *
     * @return the pool
     */
    public static ProcessPool create() {
        return builder().build();
    }

    /**
     * Returns a builder.
     *
     * @return a builder with the defaults: one worker per processor, no initializer, workers never replaced
     */
    public static Builder builder() {
        return new Builder();
    }

    private void startWorkers() {
        List<CompletableFuture<PoolWorker>> starts = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            starts.add(CompletableFuture.supplyAsync(this::startWorker, task -> {
                Thread starter = new Thread(task, name + "-starter");
                starter.setDaemon(true);
                starter.start();
            }));
        }
        RuntimeException failure = null;
        List<PoolWorker> started = new ArrayList<>();
        for (CompletableFuture<PoolWorker> start : starts) {
            try {
                started.add(start.join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                        : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            for (PoolWorker worker : started) {
                worker.process.kill();
            }
            lock.lock();
            try {
                terminated = true;
                state = State.CLOSED;
            } finally {
                lock.unlock();
            }
            supervisor.shutdown();
            throw failure;
        }
        for (PoolWorker worker : started) {
            addWorker(worker);
        }
    }

    /** Starts one worker and waits until its initializer ran. */
    private PoolWorker startWorker() {
        String workerName = name + "-worker-" + workerCounter.incrementAndGet();
        return PoolWorker.start(this, workerName, lock.newCondition(), initializer, jvmOptions, warmStart);
    }

    private void addWorker(PoolWorker worker) {
        lock.lock();
        try {
            if (terminated) {
                worker.process.kill();
                return;
            }
            workers.add(worker);
            wakeFeeders();
        } finally {
            lock.unlock();
        }
        Thread feeder = new Thread(() -> feed(worker), worker.name + "-feeder");
        feeder.setDaemon(true);
        feeder.start();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The public calls

    @Override
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        Objects.requireNonNull(items, "items");
        Collection<? extends T> all = materialize(items);
        return map(fn, all, defaultChunksize(all.size()));
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunksize) {
        Collection<? extends T> all = materialize(Objects.requireNonNull(items, "items"));
        MapJob<R> job = startJob("map", fn, PoolProtocol.SINGLE, all, chunksize, true, Integer.MAX_VALUE);
        return job.toList(all.size());
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
     */
    public <A, B, R> List<R> starmap(SerializableBiFunction<? super A, ? super B, ? extends R> fn,
            Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs, int chunksize) {
        Collection<? extends Map.Entry<? extends A, ? extends B>> all = materialize(
                Objects.requireNonNull(pairs, "pairs"));
        MapJob<R> job = startJob("starmap", fn, PoolProtocol.PAIR, all, chunksize, true, Integer.MAX_VALUE);
        return job.toList(all.size());
    }

    @Override
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items) {
        return imap(fn, items, 1);
    }

    @Override
    public <T, R> ResultIterator<R> imap(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize) {
        return startJob("imap", fn, PoolProtocol.SINGLE, Objects.requireNonNull(items, "items"), chunksize, true,
                readAhead());
    }

    @Override
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items) {
        return imapUnordered(fn, items, 1);
    }

    @Override
    public <T, R> ResultIterator<R> imapUnordered(SerializableFunction<? super T, ? extends R> fn,
            Iterable<? extends T> items, int chunksize) {
        return startJob("imapUnordered", fn, PoolProtocol.SINGLE, Objects.requireNonNull(items, "items"),
                chunksize, false, readAhead());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Cancelling the future withdraws the task if no worker has started it; a running task runs to its end (its
     * result is discarded). The future is completed on a pool thread: dependent actions given no executor run there
     * and should be short.
     */
    @Override
    public <T, R> CompletableFuture<R> applyAsync(SerializableFunction<? super T, ? extends R> fn, T argument) {
        Objects.requireNonNull(fn, "fn");
        checkAccepting("applyAsync");
        return submitOne(ship(fn), argument);
    }

    /** Submits one task; used by {@link #applyAsync} and {@link ProcessPoolExecutor}. */
    <R> TaskFuture<R> submitOne(PoolJob.ShippedFunction function, Object argument) {
        SingleTaskJob<R> job = new SingleTaskJob<>(function, this);
        PoolJob.Chunk chunk = new PoolJob.Chunk(job, 0, 0, new Object[] {argument});
        // Encoded now, on the caller's thread, so the argument is taken as it is at the call: a Connection in it moves
        // to the worker before the caller's next use of its other end (which would otherwise connect the two here).
        try {
            chunk.encoded = ValueCodec.encode(chunk.arguments, PoolProtocol.CHUNK_HEADER);
        } catch (NotSerializableException | RuntimeException e) {
            // left to the feeder, which fails the task naming the cause
        }
        submit(List.of(chunk));
        return job.future;
    }

    private <R> MapJob<R> startJob(String call, Object fn, byte shape, Iterable<?> items, int chunksize,
            boolean ordered, int readAhead) {
        Objects.requireNonNull(fn, "fn");
        if (chunksize < 1) {
            throw new IllegalArgumentException("chunksize must be at least 1 but was " + chunksize);
        }
        checkAccepting(call);
        MapJob<R> job = new MapJob<>(this, ship(fn), shape, items.iterator(), chunksize, ordered, readAhead, call);
        if (readAhead != Integer.MAX_VALUE) {
            lock.lock();
            try {
                lazyJobs.add(job);
            } finally {
                lock.unlock();
            }
        }
        job.start();
        return job;
    }

    /** The read-ahead of {@code imap}, in chunks: every worker's largest window, so none idles for want of input. */
    private int readAhead() {
        return processes * PoolWorker.MAX_WINDOW;
    }

    /** CPython's {@code Pool.map} default: about four chunks per worker. */
    private int defaultChunksize(int items) {
        int chunks = processes * 4;
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

    /** Serializes {@code fn} (a clear error if it cannot be) and finds the id workers may already know it by. */
    PoolJob.ShippedFunction ship(Object fn) {
        byte[] bytes;
        try {
            bytes = SerialCodec.serialize(fn);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the function " + fn.getClass().getName() + " cannot be sent to a "
                    + "worker JVM: it is or captures something that is not serializable: " + e.getMessage(), e);
        }
        synchronized (shipped) {
            return shipped.computeIfAbsent(ByteBuffer.wrap(bytes),
                    key -> PoolJob.ShippedFunction.of(functionIds.incrementAndGet(), bytes));
        }
    }

    private void checkAccepting(String call) {
        lock.lock();
        try {
            checkState(state == State.RUNNING, "%s() called on %s after %s", call, name,
                    terminated ? "terminate()" : "close()");
            if (broken != null) {
                throw new IllegalStateException(name + " has no workers and could not start any: "
                        + broken.getMessage(), broken);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Scheduling

    /** Queues chunks for the workers; fails them at once if the pool was terminated or is broken. */
    void submit(List<PoolJob.Chunk> chunks) {
        RuntimeException refusal = null;
        lock.lock();
        try {
            if (terminated) {
                refusal = new CancellationException(name + " was terminated");
            } else if (broken != null) {
                refusal = new IllegalStateException(name + " has no workers and could not start any", broken);
            } else {
                for (PoolJob.Chunk chunk : chunks) {
                    chunk.id = ++lastChunkId;
                    pending.addLast(chunk);
                }
                wakeFeeders();
            }
        } finally {
            lock.unlock();
        }
        if (refusal != null) {
            for (PoolJob.Chunk chunk : chunks) {
                chunk.job.chunkFailed(chunk, PoolProtocol.WHOLE_CHUNK, refusal);
            }
        }
    }

    /** Removes a cancelled job's chunks that no worker was sent. */
    void withdraw(PoolJob job) {
        lock.lock();
        try {
            pending.removeIf(chunk -> chunk.job == job);
        } finally {
            lock.unlock();
        }
    }

    /** An {@code imap} read all its input (or was closed): closing need not wait for it any more. */
    void jobEnded(PoolJob job) {
        lock.lock();
        try {
            if (lazyJobs.remove(job) && lazyJobs.isEmpty()) {
                wakeAllFeeders();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Guarded. Wakes the feeders of workers with room for more. */
    private void wakeFeeders() {
        for (PoolWorker worker : workers) {
            if (mayTake(worker)) {
                worker.canSend.signal();
            }
        }
    }

    /**
     * Guarded. Whether a worker may be sent more: there is work, it has room in its window for the job at the head of
     * the queue, it holds less than its fair share of all outstanding chunks (so a burst of slow chunks is not
     * hoarded by one worker), and it has used up half of its window (so small chunks go in batches).
     */
    private boolean mayTake(PoolWorker worker) {
        return !worker.retiring && !pending.isEmpty() && room(worker) > 0
                && worker.inFlight.size() <= worker.window(pending.peekFirst().job) / 2;
    }

    /** Guarded. How many more chunks the worker may hold now. */
    private int room(PoolWorker worker) {
        int outstanding = pending.size();
        for (PoolWorker each : workers) {
            outstanding += each.inFlight.size();
        }
        int fairShare = (outstanding + workers.size() - 1) / Math.max(1, workers.size());
        return Math.min(worker.window(pending.peekFirst().job), fairShare) - worker.inFlight.size();
    }

    /** Guarded. */
    private void wakeAllFeeders() {
        for (PoolWorker worker : workers) {
            worker.canSend.signal();
        }
    }

    /** The feeder thread of one worker: sends it chunks while it has room, then STOP when it should end. */
    private void feed(PoolWorker worker) {
        List<PoolJob.Chunk> batch = new ArrayList<>();
        for (;;) {
            boolean stop = false;
            lock.lock();
            try {
                for (;;) {
                    if (worker.gone || terminated) {
                        return;
                    }
                    if (mayTake(worker)) {
                        take(worker, batch);
                        stop = worker.retiring;
                        break;
                    }
                    if (!worker.retiring && state == State.CLOSING && pending.isEmpty() && lazyJobs.isEmpty()
                            && worker.inFlight.isEmpty()) {
                        worker.retiring = true;
                        stop = true;
                        break;
                    }
                    worker.canSend.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
            if (!batch.isEmpty() && !send(worker, batch)) {
                return; // it died: its end is handled by the supervisor
            }
            batch.clear();
            if (stop) {
                try {
                    worker.process.sendControl(PoolProtocol.STOP, new byte[0]);
                } catch (IOException gone) {
                    // it ended anyway
                }
                return;
            }
        }
    }

    /** Guarded. Moves this worker's share of the pending chunks to its in-flight queue. */
    private void take(PoolWorker worker, List<PoolJob.Chunk> batch) {
        int count = room(worker);
        if (maxTasksPerChild > 0) {
            count = Math.min(count, maxTasksPerChild - worker.chunksSent);
        }
        while (count > 0 && !pending.isEmpty()) {
            PoolJob.Chunk chunk = pending.pollFirst();
            if (chunk.job.cancelled) {
                continue;
            }
            worker.inFlight.addLast(chunk);
            batch.add(chunk);
            count--;
        }
        worker.chunksSent += batch.size();
        if (maxTasksPerChild > 0 && worker.chunksSent >= maxTasksPerChild) {
            worker.retiring = true; // it gets STOP after this batch; its successor starts now
            worker.replaced = true;
            superviseLater(this::startReplacement);
        }
    }

    /** Encodes and sends a batch with one write. Returns {@code false} if the worker is gone. */
    private boolean send(PoolWorker worker, List<PoolJob.Chunk> batch) {
        byte[] kinds = new byte[2 * batch.size()];
        byte[][] payloads = new byte[2 * batch.size()][];
        int count = 0;
        for (PoolJob.Chunk chunk : batch) {
            byte[] payload;
            try {
                payload = chunk.encoded != null ? chunk.encoded
                        : ValueCodec.encode(chunk.arguments, PoolProtocol.CHUNK_HEADER);
            } catch (NotSerializableException e) {
                failUnsent(worker, chunk, e.getMessage(), e);
                continue;
            } catch (RuntimeException | OutOfMemoryError e) { // the feeder must live on, or the chunk waits for ever
                failUnsent(worker, chunk, "encoding it failed: " + e, e);
                continue;
            }
            if (payload.length > Limits.MAX_FRAME_BYTES) { // sending it would look like a dead worker
                failUnsent(worker, chunk, Limits.overFrameLimit("it", payload.length), null);
                continue;
            }
            PoolJob.ShippedFunction function = chunk.job.function;
            ByteBuffer.wrap(payload).putLong(chunk.id).putInt(function.id()).put(chunk.job.shape);
            if (worker.knownFunctions.get(function.id()) == null) {
                kinds[count] = PoolProtocol.FUNCTION;
                payloads[count++] = function.frame();
                worker.knownFunctions.put(function.id(), Boolean.TRUE);
            }
            kinds[count] = PoolProtocol.CHUNK;
            payloads[count++] = payload;
        }
        try {
            if (count > 0) {
                worker.process.sendControl(kinds, payloads, count);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void failUnsent(PoolWorker worker, PoolJob.Chunk chunk, String reason, Throwable cause) {
        boolean mine;
        lock.lock();
        try {
            mine = worker.inFlight.remove(chunk);
        } finally {
            lock.unlock();
        }
        if (mine) {
            chunk.job.chunkFailed(chunk, PoolProtocol.WHOLE_CHUNK, new IllegalArgumentException(
                    "an argument of task #" + chunk.firstItem + (chunk.arguments.length > 1 ? " (or of the "
                            + (chunk.arguments.length - 1) + " after it, sent together)" : "")
                            + " cannot be sent to a worker: " + reason, cause));
        }
    }

    /** A worker answered a chunk (on its control thread). */
    void answered(PoolWorker worker, FrameChannel.Frame frame) {
        ByteBuffer in = ByteBuffer.wrap(frame.payload());
        long chunkId = in.getLong();
        Object[] results = null;
        Throwable failure = null;
        int failedIndex = PoolProtocol.WHOLE_CHUNK;
        long computeNanos = -1;
        if (frame.kind() == PoolProtocol.DONE) {
            computeNanos = in.getLong();
            try {
                results = ValueCodec.decode(in);
            } catch (IOException | RuntimeException e) {
                failure = new IllegalStateException("the task's result could not be read in the parent: " + e, e);
            }
        } else if (frame.kind() == PoolProtocol.FAILED) {
            failedIndex = in.getInt();
            failure = readFailure(in);
        } else {
            Log.logger.warn("{}: unexpected frame kind {} from {}", name, frame.kind(), worker);
            return;
        }
        PoolJob.Chunk chunk;
        lock.lock();
        try {
            chunk = worker.inFlight.peekFirst();
            if (chunk == null || chunk.id != chunkId) {
                return; // withdrawn by terminate()
            }
            worker.inFlight.pollFirst();
            if (computeNanos >= 0) {
                worker.recordComputeTime(chunk.job, computeNanos);
            }
            if (mayTake(worker) || (state != State.RUNNING && worker.inFlight.isEmpty())) {
                worker.canSend.signal();
            }
        } finally {
            lock.unlock();
        }
        if (failure == null) {
            chunk.job.chunkDone(chunk, results);
        } else {
            chunk.job.chunkFailed(chunk, failedIndex, failure);
        }
    }

    private static Throwable readFailure(ByteBuffer in) {
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        try {
            return (Throwable) SerialCodec.deserialize(bytes);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            return new IllegalStateException("the task failed, and its exception could not be read: " + e, e);
        }
    }

    /** A worker's control channel closed (on its control thread): handle it on the supervisor. */
    void workerEnded(PoolWorker worker) {
        superviseLater(() -> handleEnd(worker));
    }

    private void superviseLater(Runnable action) {
        try {
            supervisor.execute(action);
        } catch (RejectedExecutionException poolClosed) {
            // after the pool closed, nothing is left to supervise
        }
    }

    private void handleEnd(PoolWorker worker) {
        if (!worker.readyReported) {
            return; // it never joined the pool: startWorker() reports why
        }
        OptionalInt exitCode = PoolWorker.exitCodeOf(worker.process);
        PoolJob.Chunk running;
        boolean replace;
        lock.lock();
        try {
            workers.remove(worker);
            worker.gone = true;
            worker.canSend.signal();
            running = worker.inFlight.pollFirst();
            for (PoolJob.Chunk queued; (queued = worker.inFlight.pollLast()) != null; ) {
                pending.addFirst(queued); // never started: another worker runs them
            }
            wakeFeeders();
            replace = !terminated && !worker.replaced
                    && (state == State.RUNNING || !pending.isEmpty() || !lazyJobs.isEmpty());
            worker.replaced |= replace;
        } finally {
            lock.unlock();
        }
        String code = exitCode.isPresent() ? String.valueOf(exitCode.getAsInt()) : "unknown";
        if (running != null) {
            Log.logger.warn("{}: {} (pid {}) died while running task #{}, exit code {}{}", name, worker,
                    worker.process.pid(), running.firstItem, code, replace ? "; starting a replacement" : "");
            running.job.chunkFailed(running, PoolProtocol.WHOLE_CHUNK,
                    new WorkerDiedException(worker.name, worker.process.pid(), exitCode));
        } else if (!worker.retiring && !terminated) {
            Log.logger.warn("{}: {} (pid {}) ended unexpectedly, exit code {}", name, worker, worker.process.pid(),
                    code);
        }
        try {
            worker.process.close();
        } catch (IllegalStateException stillRunning) {
            Log.logger.warn("{}: {} would not exit even when killed", name, worker);
        }
        if (replace) {
            startReplacement();
        }
        checkAllGone();
    }

    /** Starts a worker in place of one that ended; after repeated failures with no worker left, the pool breaks. */
    private void startReplacement() {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            lock.lock();
            try {
                if (terminated) {
                    return;
                }
                workersStarting++;
            } finally {
                lock.unlock();
            }
            try {
                addWorker(startWorker());
                return;
            } catch (RuntimeException e) {
                failure = e;
                Log.logger.warn("{}: starting a replacement worker failed (attempt {} of {}): {}", name, attempt,
                        START_ATTEMPTS, e.getMessage());
            } finally {
                lock.lock();
                try {
                    workersStarting--;
                } finally {
                    lock.unlock();
                }
            }
        }
        List<PoolJob.Chunk> stranded = new ArrayList<>();
        lock.lock();
        try {
            if (workers.isEmpty()) {
                broken = failure;
                stranded.addAll(pending);
                pending.clear();
            }
        } finally {
            lock.unlock();
        }
        for (PoolJob.Chunk chunk : stranded) {
            chunk.job.chunkFailed(chunk, PoolProtocol.WHOLE_CHUNK,
                    new IllegalStateException(name + " has no workers and could not start any", failure));
        }
        checkAllGone();
    }

    /** Ends the closing once no worker is left and none is being started. */
    private void checkAllGone() {
        lock.lock();
        try {
            if (state != State.RUNNING && workers.isEmpty() && workersStarting == 0
                    && (terminated || broken != null || (pending.isEmpty() && lazyJobs.isEmpty()))) {
                state = State.CLOSED;
                allGone.signalAll();
                supervisor.shutdown();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lifecycle

    /**
     * Accepts no new calls, lets every submitted task finish, stops the workers and waits until they exited. Calling
     * it again, or after {@link #terminate()}, just waits. If interrupted while waiting, terminates the pool and
     * returns with the interrupt status set.
     */
    @Override
    public void close() {
        shutdown();
        try {
            join();
        } catch (InterruptedException e) {
            terminate();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops now: tasks not finished (queued or running) fail with {@link CancellationException}, the workers are
     * killed, and it returns once they are gone. Idempotent.
     */
    @Override
    public void terminate() {
        List<PoolJob.Chunk> unfinished = new ArrayList<>();
        List<PoolWorker> killed;
        lock.lock();
        try {
            if (!terminated) {
                terminated = true;
                if (state == State.RUNNING) {
                    state = State.CLOSING;
                }
                unfinished.addAll(pending);
                pending.clear();
                for (PoolWorker worker : workers) {
                    unfinished.addAll(worker.inFlight);
                    worker.inFlight.clear();
                }
                wakeAllFeeders();
            }
            killed = new ArrayList<>(workers);
        } finally {
            lock.unlock();
        }
        CancellationException cancelled = new CancellationException(name + " was terminated");
        for (PoolJob.Chunk chunk : unfinished) {
            chunk.job.chunkFailed(chunk, PoolProtocol.WHOLE_CHUNK, cancelled);
        }
        for (PoolWorker worker : killed) {
            worker.process.kill();
        }
        superviseLater(this::checkAllGone);
        try {
            join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the workers exited after {@link #close()} or {@link #terminate()}: Python's {@code pool.join()}.
     *
     * @throws IllegalStateException if neither was called
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        lock.lock();
        try {
            checkState(state != State.RUNNING, "join() called on %s while it is running: close() or terminate() "
                    + "it first", name);
            while (state != State.CLOSED) {
                allGone.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns how many workers the pool keeps.
     *
     * @return the number of worker processes
     */
    public int processes() {
        return processes;
    }

    /**
     * Returns the process ids of the workers now in the pool (replaced workers get new ones).
     *
     * @return a snapshot
     */
    public List<Long> workerPids() {
        lock.lock();
        try {
            List<Long> pids = new ArrayList<>();
            for (PoolWorker worker : workers) {
                pids.add(worker.process.pid());
            }
            return pids;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells whether the pool stopped accepting work ({@link #close()} or {@link #terminate()} was called).
     *
     * @return {@code true} once closing or closed
     */
    public boolean isShutdown() {
        lock.lock();
        try {
            return state != State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells whether the pool closed and every worker exited.
     *
     * @return {@code true} once closed
     */
    public boolean isTerminated() {
        lock.lock();
        try {
            return state == State.CLOSED;
        } finally {
            lock.unlock();
        }
    }

    /** Removes the queued tasks (not started by any worker) and returns them; used by the executor's shutdownNow. */
    List<PoolJob.Chunk> drainPending() {
        lock.lock();
        try {
            List<PoolJob.Chunk> drained = new ArrayList<>(pending);
            pending.clear();
            return drained;
        } finally {
            lock.unlock();
        }
    }

    boolean awaitTermination(long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (state != State.CLOSED) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = allGone.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Starts the closing without waiting for it. */
    void shutdown() {
        List<MapJob<?>> stillReading;
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.CLOSING;
                wakeAllFeeders();
            }
            stillReading = new ArrayList<>(lazyJobs);
        } finally {
            lock.unlock();
        }
        // An imap whose consumer left its loop would keep closing waiting for ever, as Python's `with Pool()` never
        // does: it is cancelled instead (outside our lock: it withdraws its chunks through it).
        for (MapJob<?> job : stillReading) {
            job.cancelAtPoolClose();
        }
        superviseLater(this::checkAllGone);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            StringBuilder inFlight = new StringBuilder();
            for (PoolWorker worker : workers) {
                inFlight.append(inFlight.length() == 0 ? "" : ",").append(worker.inFlight.size());
            }
            return "<ProcessPool name='" + name + "' state=" + (terminated ? "TERMINATED" : state) + " workers="
                    + workers.size() + "/" + processes + " queued=" + pending.size() + " inFlight=[" + inFlight
                    + "] imapsReading=" + lazyJobs.size() + ">";
        } finally {
            lock.unlock();
        }
    }

    /**
     * Configures a {@link ProcessPool}. Not thread-safe.
     *
     * <pre>{@code
     * ProcessPool pool = ProcessPool.builder()
     *         .processes(4)
     *         .initializer(Worker::loadModel)      // runs once in each worker before its first task
     *         .maxTasksPerChild(1000)              // recycle workers that leak
     *         .jvmOptions("-Xmx256m")
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private int processes = Runtime.getRuntime().availableProcessors();
        private SerializableRunnable initializer;
        private int maxTasksPerChild;
        private final List<String> jvmOptions = new ArrayList<>();
        private boolean warmStart;
        private String name;

        private Builder() {}

        /**
         * Sets how many worker JVMs to keep. Default: the number of available processors.
         *
         * @param processes at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code processes} is less than 1
         */
        public Builder processes(int processes) {
            if (processes < 1) {
                throw new IllegalArgumentException("processes must be at least 1 but was " + processes);
            }
            this.processes = processes;
            return this;
        }

        /**
         * Sets work each worker runs once before its first task: Python's {@code initializer}. If it throws, the pool
         * cannot start (the exception is the cause).
         *
         * @param initializer what each worker runs first
         * @return this builder
         */
        public Builder initializer(SerializableRunnable initializer) {
            this.initializer = Objects.requireNonNull(initializer, "initializer");
            return this;
        }

        /**
         * Replaces each worker with a fresh JVM after it ran {@code tasks} tasks (a task being one chunk, as in
         * CPython): Python's {@code maxtasksperchild}. No queued work is lost; the successor starts while the retiring
         * worker finishes. Default: workers live as long as the pool.
         *
         * @param tasks at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code tasks} is less than 1
         */
        public Builder maxTasksPerChild(int tasks) {
            if (tasks < 1) {
                throw new IllegalArgumentException("maxTasksPerChild must be at least 1 but was " + tasks);
            }
            this.maxTasksPerChild = tasks;
            return this;
        }

        /**
         * Adds options for the workers' {@code java} command, such as {@code -Xmx256m}.
         *
         * @param options JVM options
         * @return this builder
         */
        public Builder jvmOptions(String... options) {
            for (String option : options) {
                jvmOptions.add(Objects.requireNonNull(option, "option"));
            }
            return this;
        }

        /**
         * Starts workers (and their replacements) from a JVM booted ahead of time, see
         * {@link JvmProcess.Builder#warmStart(boolean)}. Needs the default JVM options. Default: {@code false}.
         *
         * @param warm whether to start workers warm
         * @return this builder
         */
        public Builder warmStart(boolean warm) {
            this.warmStart = warm;
            return this;
        }

        /**
         * Names the pool; workers are called {@code <name>-worker-<n>}. Default: {@code ProcessPool-<n>}.
         *
         * @param name a non-blank name
         * @return this builder
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank but was '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * Starts the pool; returns once every worker is up and its initializer ran.
         *
         * @return the pool
         * @throws IllegalStateException if warm start was combined with JVM options, or a worker could not start
         */
        public ProcessPool build() {
            checkState(!warmStart || jvmOptions.isEmpty(), "warmStart(true) needs the default JVM options, but got %s",
                    jvmOptions);
            ProcessPool pool = new ProcessPool(this);
            pool.startWorkers();
            return pool;
        }
    }
}
