package dev.gil.multiprocess;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.gil.multiprocess.internal.launch.Launcher;
import dev.gil.multiprocess.internal.pool.Dispatcher;
import dev.gil.multiprocess.internal.pool.FunctionShipper;
import dev.gil.multiprocess.internal.pool.ShippedFunction;
import dev.gil.multiprocess.internal.pool.Supervisor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;


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
 * distinct function. Inputs and results travel in the one wire format of {@link Connection}: common values, records and
 * enums packed, anything else by Java serialization behind the allow-list ({@link ClassAllowList}). The calls are
 * {@link AbstractTaskPool}'s, the front end the cluster module's pool shares.
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
public final class ProcessPool extends AbstractTaskPool {
    private static final AtomicInteger poolCounter = new AtomicInteger();

    private final String name;
    private final int processes;
    private final Dispatcher dispatcher;
    private final Supervisor supervisor;
    private final FunctionShipper shipper = new FunctionShipper();

    private ProcessPool(Builder builder) {
        this.name = builder.name != null ? builder.name : "ProcessPool-" + poolCounter.incrementAndGet();
        this.processes = builder.processes;
        this.dispatcher = new Dispatcher(name, builder.maxTasksPerChild);
        Launcher launcher = builder.context != null ? builder.context.launcher()
                : ProcessContext.defaultContext().launcher();
        this.supervisor = new Supervisor(name, dispatcher, launcher, builder.initializer, builder.jvmOptions,
                builder.warmStart);
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

    // ---------------------------------------------------------------------------------------------------------------
    // The front end's SPI

    /** Serializes the function once per call; equal functions share an id, so a worker reads each once. */
    @Override
    protected Object prepare(Serializable function) {
        return shipper.ship(function);
    }

    /** One chunk: an {@code applyAsync}, encoded on the caller's thread so its argument is taken as at the call. */
    @Override
    protected CompletableFuture<Object[]> submit(Object function, boolean pairs, Object[] arguments,
            long firstItem) {
        return dispatcher.submit((ShippedFunction) function, pairs, arguments, firstItem, true, null);
    }

    /** A call's chunks, queued under one lock; the feeders encode them, off the caller's thread. */
    @Override
    protected List<CompletableFuture<Object[]>> submitAll(Object function, boolean pairs, List<Object[]> chunks,
            long firstItem) {
        return dispatcher.submitAll((ShippedFunction) function, pairs, chunks, firstItem);
    }

    @Override
    protected int parallelism() {
        return processes;
    }

    @Override
    protected int readAhead() {
        return Dispatcher.readAhead(processes);
    }

    @Override
    protected void checkAccepting(String call) {
        dispatcher.checkAccepting(call);
    }

    /** Submits one executor task, remembering it for {@link ProcessPoolExecutor#shutdownNow()}. */
    <T> CompletableFuture<T> submitTask(SerializableFunction<Object, Object> adapter, Object original) {
        ShippedFunction function = shipper.ship(adapter);
        return oneResult(dispatcher.submit(function, false, new Object[] {null}, 0, true, original));
    }

    /** Withdraws the executor tasks no worker started, and returns them. */
    List<Object> drainPending() {
        return dispatcher.drainPending();
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
        supervisor.terminate();
        try {
            join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the closing without waiting for it: an {@code imap} still reading its input is cancelled. */
    void shutdown() {
        // An imap whose consumer left its loop would keep closing waiting for ever, as Python's `with Pool()` never
        // does: it is cancelled instead.
        cancelStillReading();
        supervisor.close();
    }

    /**
     * Waits until the workers exited after {@link #close()} or {@link #terminate()}: Python's {@code pool.join()}.
     *
     * @throws IllegalStateException if neither was called
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        checkState(isShutdown(), "join() called on %s while it is running: close() or terminate() it first", name);
        dispatcher.awaitClosed(Long.MAX_VALUE);
    }

    boolean awaitTermination(long nanos) throws InterruptedException {
        return dispatcher.awaitClosed(Math.min(nanos, Long.MAX_VALUE - 1));
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
        return dispatcher.workerPids();
    }

    /**
     * Tells whether the pool stopped accepting work ({@link #close()} or {@link #terminate()} was called).
     *
     * @return {@code true} once closing or closed
     */
    public boolean isShutdown() {
        return dispatcher.isShutdown();
    }

    /**
     * Tells whether the pool closed and every worker exited.
     *
     * @return {@code true} once closed
     */
    public boolean isTerminated() {
        return dispatcher.isTerminated();
    }

    @Override
    public String toString() {
        return "<ProcessPool name='" + name + "' " + dispatcher.describe(processes) + ">";
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
        private ProcessContext context;

        private Builder() {}

        /**
         * Sets how many worker JVMs to keep. Default: the number of available processors.
         *
         * @param processes at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code processes} is less than 1
         */
        public Builder processes(int processes) {
            checkArgument(processes >= 1, "processes must be at least 1 but was %s", processes);
            this.processes = processes;
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
            checkArgument(tasks >= 1, "maxTasksPerChild must be at least 1 but was %s", tasks);
            this.maxTasksPerChild = tasks;
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
         * Launches the workers through {@code context} (its warm standby, its registry of children) instead of the
         * {@linkplain ProcessContext#defaultContext() default one}.
         *
         * @param context the context
         * @return this builder
         */
        public Builder context(ProcessContext context) {
            this.context = Objects.requireNonNull(context, "context");
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
            pool.supervisor.startWorkers(processes);
            return pool;
        }
    }
}
