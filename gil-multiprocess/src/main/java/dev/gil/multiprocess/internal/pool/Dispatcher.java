package dev.gil.multiprocess.internal.pool;

import dev.gil.multiprocess.TaskFailedException;
import dev.gil.multiprocess.internal.channel.FrameChannel;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A process pool's pending work and its workers' windows: chunks wait in one queue, and each worker's feeder thread
 * sends it chunks while it has room. How much room follows from how long its chunks take: enough queued work to hide
 * the round trip, no more than its fair share of what is outstanding, and sent in batches once half its window is
 * free. Answers complete the chunks' futures on the workers' control threads. One lock guards the queue, the workers'
 * scheduling state and the pool's lifecycle, which the {@link Supervisor} moves through the methods below.
 */
public final class Dispatcher {
    /** SLF4J on first use: a program that never hears from us does not start its logging backend for us. */
    private static final class Log {
        static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(Dispatcher.class);
    }

    private final String poolName;
    private final int maxTasksPerChild;
    private final ReentrantLock lock = new ReentrantLock();
    private final PoolState state;
    /** Guarded by {@code lock}. */
    private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    /** Ready workers that have not ended. Guarded by {@code lock}. */
    private final List<PoolWorker> workers = new ArrayList<>();
    /** Guarded by {@code lock}. */
    private long lastChunkId;

    /**
     * @param poolName for messages
     * @param maxTasksPerChild chunks a worker runs before it retires, or 0 for no limit
     */
    public Dispatcher(String poolName, int maxTasksPerChild) {
        this.poolName = poolName;
        this.maxTasksPerChild = maxTasksPerChild;
        this.state = new PoolState(poolName, lock);
    }

    /**
     * How many chunks an {@code imap} over {@code workers} workers keeps submitted: every worker's largest window, so
     * none idles for want of input.
     */
    public static int readAhead(int workers) {
        return workers * PoolWorker.MAX_WINDOW;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Work coming in

    /**
     * Queues one chunk of {@code arguments} for the workers; its future fails at once if the pool takes no work.
     *
     * @param encodeNow encode the arguments on this thread, so they are taken as they are at the call (a
     *     {@code Connection} in them moves to the worker before the caller's next use of its other end)
     * @param tag handed back by {@link #drainPending()} if no worker started the chunk, or null
     */
    public CompletableFuture<Object[]> submit(ShippedFunction function, boolean pairs, Object[] arguments,
            long firstItem, boolean encodeNow, Object tag) {
        Chunk chunk = new Chunk(function, pairs ? PoolProtocol.PAIR : PoolProtocol.SINGLE, arguments, firstItem, tag);
        if (encodeNow) {
            chunk.encodeNow();
        }
        enqueue(List.of(chunk));
        return chunk.future;
    }

    /** Queues consecutive chunks of one call under one lock; their arguments are encoded by the feeders. */
    public List<CompletableFuture<Object[]>> submitAll(ShippedFunction function, boolean pairs,
            List<Object[]> chunks, long firstItem) {
        List<Chunk> all = new ArrayList<>(chunks.size());
        List<CompletableFuture<Object[]>> futures = new ArrayList<>(chunks.size());
        long item = firstItem;
        for (Object[] arguments : chunks) {
            Chunk chunk = new Chunk(function, pairs ? PoolProtocol.PAIR : PoolProtocol.SINGLE, arguments, item, null);
            all.add(chunk);
            futures.add(chunk.future);
            item += arguments.length;
        }
        enqueue(all);
        return futures;
    }

    private void enqueue(List<Chunk> chunks) {
        RuntimeException refusal;
        lock.lock();
        try {
            refusal = state.refusal();
            if (refusal == null) {
                for (Chunk chunk : chunks) {
                    chunk.id = ++lastChunkId;
                    pending.addLast(chunk);
                }
                wakeFeeders();
            }
        } finally {
            lock.unlock();
        }
        if (refusal != null) {
            for (Chunk chunk : chunks) {
                chunk.future.completeExceptionally(refusal);
            }
        }
    }

    /**
     * Refuses a new call once the pool closes or breaks.
     *
     * @throws IllegalStateException naming why
     */
    public void checkAccepting(String call) {
        lock.lock();
        try {
            state.checkAccepting(call);
        } finally {
            lock.unlock();
        }
    }

    /** Withdraws the chunks no worker was sent, cancels them, and returns their tags (the executor's shutdownNow). */
    public List<Object> drainPending() {
        List<Chunk> drained;
        lock.lock();
        try {
            drained = new ArrayList<>(pending);
            pending.clear();
        } finally {
            lock.unlock();
        }
        List<Object> tags = new ArrayList<>();
        for (Chunk chunk : drained) {
            if (chunk.future.cancel(false) && chunk.tag != null) {
                tags.add(chunk.tag);
            }
        }
        return tags;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Feeding workers

    /** Guarded. Wakes the feeders of workers with room for more. */
    private void wakeFeeders() {
        for (PoolWorker worker : workers) {
            if (mayTake(worker)) {
                worker.signal();
            }
        }
    }

    /** Guarded. */
    private void wakeAllFeeders() {
        for (PoolWorker worker : workers) {
            worker.signal();
        }
    }

    /**
     * Guarded. Whether a worker may be sent more: there is work, it has room in its window for the chunk at the head
     * of the queue, it holds less than its fair share of all outstanding chunks (so a burst of slow chunks is not
     * hoarded by one worker), and it has used up half of its window (so small chunks go in batches).
     */
    private boolean mayTake(PoolWorker worker) {
        return !worker.isRetiring() && !pending.isEmpty() && room(worker) > 0
                && worker.inFlightCount() <= worker.window(pending.peekFirst().function) / 2;
    }

    /** Guarded. How many more chunks the worker may hold now. */
    private int room(PoolWorker worker) {
        int outstanding = pending.size();
        for (PoolWorker each : workers) {
            outstanding += each.inFlightCount();
        }
        int fairShare = (outstanding + workers.size() - 1) / Math.max(1, workers.size());
        return Math.min(worker.window(pending.peekFirst().function), fairShare) - worker.inFlightCount();
    }

    /**
     * The feeder thread of one worker: sends it chunks while it has room, then STOP when it should end. Returns when
     * the worker is gone or was sent STOP.
     *
     * @return whether it retired at {@code maxTasksPerChild}, so that a successor must be started
     */
    boolean feed(PoolWorker worker) {
        List<Chunk> batch = new ArrayList<>();
        for (;;) {
            boolean stop = false;
            boolean reachedLimit = false;
            lock.lock();
            try {
                for (;;) {
                    if (worker.isGone() || state.isTerminated()) {
                        return false;
                    }
                    if (mayTake(worker)) {
                        reachedLimit = take(worker, batch);
                        stop = worker.isRetiring();
                        break;
                    }
                    if (!worker.isRetiring() && state.isClosing() && pending.isEmpty()
                            && worker.inFlightCount() == 0) {
                        worker.retire();
                        stop = true;
                        break;
                    }
                    worker.awaitSignal();
                }
            } finally {
                lock.unlock();
            }
            if (!batch.isEmpty() && !send(worker, batch)) {
                return false; // it died: its end is handled by the supervisor
            }
            batch.clear();
            if (stop) {
                worker.sendStop();
                return reachedLimit;
            }
        }
    }

    /** Guarded. Moves this worker's share of the pending chunks to it; returns whether it reached its task limit. */
    private boolean take(PoolWorker worker, List<Chunk> batch) {
        int count = Math.min(room(worker), worker.tasksLeft(maxTasksPerChild));
        boolean reachedLimit = false;
        while (count > 0 && !pending.isEmpty()) {
            Chunk chunk = pending.pollFirst();
            if (chunk.future.isDone()) {
                continue; // cancelled
            }
            reachedLimit = worker.sent(chunk, maxTasksPerChild);
            batch.add(chunk);
            count--;
        }
        if (reachedLimit) {
            worker.retire(); // it gets STOP after this batch; its successor starts now
            worker.replacedNow();
        }
        return reachedLimit;
    }

    /** Encodes and sends a batch with one write. Returns {@code false} if the worker is gone. */
    private boolean send(PoolWorker worker, List<Chunk> chunks) {
        ChunkFrames.Batch batch = ChunkFrames.batch(worker, chunks,
                (chunk, reason, cause) -> failUnsent(worker, chunk, reason, cause));
        try {
            if (batch.count() > 0) {
                worker.send(batch.kinds(), batch.payloads(), batch.count());
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void failUnsent(PoolWorker worker, Chunk chunk, String reason, Throwable cause) {
        boolean mine;
        lock.lock();
        try {
            mine = worker.unsend(chunk);
        } finally {
            lock.unlock();
        }
        if (mine) {
            chunk.future.completeExceptionally(TaskFailedException.of(new IllegalArgumentException(
                    "an argument of task #" + chunk.firstItem + (chunk.arguments.length > 1 ? " (or of the "
                            + (chunk.arguments.length - 1) + " after it, sent together)" : "")
                            + " cannot be sent to a worker: " + reason, cause), chunk.firstItem));
        }
    }

    /** A worker answered a chunk (on its control thread). */
    void answered(PoolWorker worker, FrameChannel.Frame frame) {
        ChunkFrames.Answer answer = ChunkFrames.answer(frame);
        if (answer == null) {
            Log.logger.warn("{}: unexpected frame kind {} from {}", poolName, frame.kind(), worker);
            return;
        }
        Chunk chunk;
        lock.lock();
        try {
            chunk = worker.answered(answer.chunkId(), answer.computeNanos());
            if (chunk == null) {
                return; // withdrawn by terminate()
            }
            if (mayTake(worker) || (!state.isRunning() && worker.inFlightCount() == 0)) {
                worker.signal();
            }
        } finally {
            lock.unlock();
        }
        if (answer.failure() == null) {
            chunk.future.complete(answer.results());
        } else {
            chunk.future.completeExceptionally(TaskFailedException.of(answer.failure(),
                    chunk.itemAt(answer.failedIndex())));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Workers joining and leaving: the supervisor's calls

    Condition newCondition() {
        return lock.newCondition();
    }

    /** A started worker joins; returns {@code false} if the pool was terminated meanwhile (kill it then). */
    boolean addWorker(PoolWorker worker) {
        lock.lock();
        try {
            if (state.isTerminated()) {
                return false;
            }
            workers.add(worker);
            wakeFeeders();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A worker is about to be started; returns {@code false} if the pool was terminated. */
    boolean startingWorker() {
        lock.lock();
        try {
            return state.startingWorker();
        } finally {
            lock.unlock();
        }
    }

    /** A start announced by {@link #startingWorker()} ended, in success or not. */
    void workerStartEnded() {
        lock.lock();
        try {
            state.workerStartEnded();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What became of a worker's work when it ended.
     *
     * @param running the chunk it was running, or null
     * @param replace whether a successor must be started
     * @param expected whether it was meant to end (it retired, or the pool was terminated)
     */
    record Departure(Chunk running, boolean replace, boolean expected) {}

    /**
     * A worker ended: it leaves, the chunks queued at it go back to the head of the queue for the others, and the
     * one it was running (if any) is returned for the supervisor to fail.
     */
    Departure workerEnded(PoolWorker worker) {
        lock.lock();
        try {
            workers.remove(worker);
            List<Chunk> held = worker.takeInFlight();
            Chunk running = held.isEmpty() ? null : held.get(0);
            for (int i = held.size() - 1; i >= 1; i--) {
                pending.addFirst(held.get(i)); // never started: another worker runs them
            }
            wakeFeeders();
            boolean wanted = !state.isTerminated() && (state.isRunning() || !pending.isEmpty());
            return new Departure(running, worker.leave(wanted), worker.isRetiring() || state.isTerminated());
        } finally {
            lock.unlock();
        }
    }

    /** Replacements kept failing: with no worker left, the pool breaks and the queued chunks fail. */
    void breakIfNoWorkers(RuntimeException failure) {
        List<Chunk> stranded = new ArrayList<>();
        lock.lock();
        try {
            if (workers.isEmpty()) {
                state.breakBecause(failure);
                stranded.addAll(pending);
                pending.clear();
            }
        } finally {
            lock.unlock();
        }
        for (Chunk chunk : stranded) {
            chunk.future.completeExceptionally(
                    new IllegalStateException(poolName + " has no workers and could not start any", failure));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lifecycle

    /** Accepts no new work; workers retire once the queue is empty. Returns {@code false} if already closing. */
    boolean beginClose() {
        lock.lock();
        try {
            if (!state.beginClose()) {
                return false;
            }
            wakeAllFeeders();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops now: the queued and running chunks fail with {@link CancellationException}; returns the workers, for the
     * supervisor to kill. Idempotent.
     */
    List<PoolWorker> terminate() {
        List<Chunk> unfinished = new ArrayList<>();
        List<PoolWorker> toKill;
        lock.lock();
        try {
            if (state.terminate()) {
                unfinished.addAll(pending);
                pending.clear();
                for (PoolWorker worker : workers) {
                    unfinished.addAll(worker.takeInFlight());
                }
                wakeAllFeeders();
            }
            toKill = new ArrayList<>(workers);
        } finally {
            lock.unlock();
        }
        CancellationException cancelled = new CancellationException(poolName + " was terminated");
        for (Chunk chunk : unfinished) {
            chunk.future.completeExceptionally(cancelled);
        }
        return toKill;
    }

    /** Ends the closing once no worker is left and none is being started; returns whether the pool is closed. */
    boolean closeIfAllGone() {
        lock.lock();
        try {
            return state.closeIfAllGone(workers.isEmpty(), pending.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the pool closed, at most {@code nanos} (for ever if {@code Long.MAX_VALUE}). */
    public boolean awaitClosed(long nanos) throws InterruptedException {
        return state.awaitClosed(nanos);
    }

    /** Whether the pool stopped accepting work. */
    public boolean isShutdown() {
        return state.isShutdown();
    }

    /** Whether the pool closed and its workers are gone. */
    public boolean isTerminated() {
        return state.isClosed();
    }

    /** The process ids of the workers now in the pool. */
    public List<Long> workerPids() {
        lock.lock();
        try {
            List<Long> pids = new ArrayList<>();
            for (PoolWorker worker : workers) {
                pids.add(worker.pid());
            }
            return pids;
        } finally {
            lock.unlock();
        }
    }

    /** The state for {@code toString}: workers, the queue and what each worker holds. */
    public String describe(int processes) {
        lock.lock();
        try {
            StringBuilder inFlight = new StringBuilder();
            for (PoolWorker worker : workers) {
                inFlight.append(inFlight.length() == 0 ? "" : ",").append(worker.inFlightCount());
            }
            return "state=" + state + " workers=" + workers.size() + "/" + processes
                    + " queued=" + pending.size() + " inFlight=[" + inFlight + "]";
        } finally {
            lock.unlock();
        }
    }
}
