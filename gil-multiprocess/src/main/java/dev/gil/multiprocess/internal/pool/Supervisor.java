package dev.gil.multiprocess.internal.pool;

import dev.gil.multiprocess.SerializableRunnable;
import dev.gil.multiprocess.WorkerDiedException;
import dev.gil.multiprocess.internal.launch.Child;
import dev.gil.multiprocess.internal.launch.ChildSpec;
import dev.gil.multiprocess.internal.launch.Launcher;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts a process pool's workers and looks after them: a worker that dies fails the chunk it was running with
 * {@link WorkerDiedException}, its queued chunks go back to the {@link Dispatcher}, and a replacement starts; after
 * {@value #START_ATTEMPTS} failed starts with no worker left, the pool breaks. Worker ends are handled one at a time,
 * on the supervisor's own thread, which stops once the pool closed.
 */
public final class Supervisor {
    /** SLF4J on first use: a program that never hears from us does not start its logging backend for us. */
    private static final class Log {
        static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(Supervisor.class);
    }

    private static final int START_ATTEMPTS = 3;
    /** How long a starting worker may take to report ready. */
    private static final long READY_TIMEOUT_SECONDS = 60;

    private final String poolName;
    private final Dispatcher dispatcher;
    private final Launcher launcher;
    private final SerializableRunnable initializer;
    private final List<String> jvmOptions;
    private final boolean warmStart;
    private final AtomicInteger workerCounter = new AtomicInteger();
    /** Handles worker ends and starts replacements, one at a time. */
    private final ExecutorService executor;

    /**
     * @param initializer what each worker runs before its first chunk, or null
     * @param jvmOptions the workers' extra JVM options
     * @param warmStart whether workers start from the launcher's warm standby
     */
    public Supervisor(String poolName, Dispatcher dispatcher, Launcher launcher, SerializableRunnable initializer,
            List<String> jvmOptions, boolean warmStart) {
        this.poolName = poolName;
        this.dispatcher = dispatcher;
        this.launcher = launcher;
        this.initializer = initializer;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.warmStart = warmStart;
        String threadName = poolName + "-supervisor"; // no name format: String.format's first use costs a fresh JVM
        this.executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts the pool's workers side by side and returns once all are ready.
     *
     * @throws IllegalStateException if one could not start (the others are killed and the pool is terminated)
     */
    public void startWorkers(int processes) {
        if (!warmStart) {
            launcher.prepareLaunches(processes);
        }
        List<CompletableFuture<PoolWorker>> starts = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            starts.add(CompletableFuture.supplyAsync(this::startWorker, task -> {
                Thread starter = new Thread(task, poolName + "-starter");
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
            started.forEach(PoolWorker::killNeverJoined);
            dispatcher.terminate();
            later(this::checkAllGone);
            throw failure;
        }
        started.forEach(this::enlist);
    }

    /** Starts one worker and waits until its initializer ran. */
    private PoolWorker startWorker() {
        String name = poolName + "-worker-" + workerCounter.incrementAndGet();
        PoolWorker worker = new PoolWorker(name, dispatcher.newCondition(), dispatcher::answered);
        ChildSpec spec = ChildSpec.worker(name, jvmOptions, warmStart);
        Child child;
        try {
            child = Child.startWorker(launcher, spec, name, initializer, worker, worker);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
        try {
            if (!worker.awaitReady(child, READY_TIMEOUT_SECONDS)) {
                child.kill();
                throw new IllegalStateException(name + " did not report ready within " + READY_TIMEOUT_SECONDS
                        + " s; it was killed");
            }
        } catch (InterruptedException e) {
            child.kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
        if (!worker.readyReported()) {
            throw new IllegalStateException(name + " could not start: " + describeEnd(worker),
                    child.failure().orElse(null));
        }
        return worker;
    }

    private static String describeEnd(PoolWorker worker) {
        OptionalInt code = worker.exitCode();
        String exit = code.isPresent() ? String.valueOf(code.getAsInt()) : "unknown";
        if (worker.child().exitedBeforeTarget()) {
            return "its JVM exited with code " + exit + " before it could run anything: a JVM option it refused? "
                    + "(see its output above)";
        }
        return worker.child().failure().map(f -> "its initializer threw " + f)
                .orElse("it exited with code " + exit + " (see its output above)");
    }

    /**
     * A ready worker joins the dispatcher, with a feeder thread of its own; its end is handled from then on (at once
     * if it already ended: a worker that died between saying ready and joining is replaced like any other).
     */
    private void enlist(PoolWorker worker) {
        if (!dispatcher.addWorker(worker)) {
            worker.killNeverJoined(); // the pool was terminated while it started
            return;
        }
        worker.ended().thenAccept(ended -> later(() -> handleEnd(ended)));
        Thread feeder = new Thread(() -> {
            if (dispatcher.feed(worker)) {
                later(this::startReplacement); // it retired at maxTasksPerChild
            }
        }, worker.name() + "-feeder");
        feeder.setDaemon(true);
        feeder.start();
    }

    private void handleEnd(PoolWorker worker) {
        OptionalInt exitCode = worker.exitCode();
        Dispatcher.Departure departure = dispatcher.workerEnded(worker);
        String code = exitCode.isPresent() ? String.valueOf(exitCode.getAsInt()) : "unknown";
        Chunk running = departure.running();
        if (running != null) {
            Log.logger.warn("{}: {} (pid {}) died while running task #{}, exit code {}{}", poolName, worker,
                    worker.pid(), running.firstItem, code, departure.replace() ? "; starting a replacement" : "");
            running.future.completeExceptionally(new WorkerDiedException(worker.name(), worker.pid(), exitCode));
        } else if (!departure.expected()) {
            Log.logger.warn("{}: {} (pid {}) ended unexpectedly, exit code {}", poolName, worker, worker.pid(), code);
        }
        if (!worker.child().release()) {
            Log.logger.warn("{}: {} would not exit even when killed", poolName, worker);
        }
        if (departure.replace()) {
            startReplacement();
        }
        checkAllGone();
    }

    /** Starts a worker in place of one that ended; after repeated failures with no worker left, the pool breaks. */
    private void startReplacement() {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            if (!dispatcher.startingWorker()) {
                return; // terminated
            }
            try {
                enlist(startWorker());
                return;
            } catch (RuntimeException e) {
                failure = e;
                Log.logger.warn("{}: starting a replacement worker failed (attempt {} of {}): {}", poolName, attempt,
                        START_ATTEMPTS, e.getMessage());
            } finally {
                dispatcher.workerStartEnded();
            }
        }
        dispatcher.breakIfNoWorkers(failure);
        checkAllGone();
    }

    /** Accepts no new work; the workers stop once the queued work is done. Does not wait. */
    public void close() {
        dispatcher.beginClose();
        later(this::checkAllGone);
    }

    /** Fails the unfinished work and kills the workers. Does not wait. */
    public void terminate() {
        for (PoolWorker worker : dispatcher.terminate()) {
            worker.kill();
        }
        later(this::checkAllGone);
    }

    private void checkAllGone() {
        if (dispatcher.closeIfAllGone()) {
            executor.shutdown();
        }
    }

    private void later(Runnable action) {
        try {
            executor.execute(action);
        } catch (RejectedExecutionException poolClosed) {
            // after the pool closed, nothing is left to supervise
        }
    }
}
