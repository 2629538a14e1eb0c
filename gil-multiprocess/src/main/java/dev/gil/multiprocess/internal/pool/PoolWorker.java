package dev.gil.multiprocess.internal.pool;

import dev.gil.multiprocess.internal.channel.FrameChannel;
import dev.gil.multiprocess.internal.launch.Child;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BiConsumer;

/**
 * The parent's side of one pool worker: its child JVM, the chunks sent to it and not yet answered (in the order it
 * runs them), and how many more it may be sent. Its scheduling state is guarded by the dispatcher's lock: the methods
 * that say "guarded" are called holding it.
 */
final class PoolWorker implements Child.Listener {
    /** Chunks in flight when nothing is known yet of how long a chunk takes. */
    static final int MIN_WINDOW = 2;
    /** The most chunks in flight to one worker. */
    static final int MAX_WINDOW = 64;
    /** How much work to keep queued at a worker, in its own compute time: enough to hide a round trip. */
    private static final long QUEUED_WORK_NANOS = 200_000;

    private final String name;
    /** Signalled when this worker may be sent more. */
    private final Condition canSend;
    private final BiConsumer<PoolWorker, FrameChannel.Frame> answers;
    /** Completed once its control channel closed: it exited, or was killed. */
    private final CompletableFuture<PoolWorker> ended = new CompletableFuture<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean readyReported;
    /** Set once, when started. */
    private volatile Child child;

    /** Guarded. The oldest is the one the worker is running. */
    private final ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
    /** Guarded. */
    private int chunksSent;
    /** Guarded: no more chunks go to it; it is sent STOP after its last one. */
    private boolean retiring;
    /** Guarded: it left the pool (ended, or died). */
    private boolean gone;
    /** Guarded: a successor was (or is being) started. */
    private boolean replaced;
    /** Guarded: an exponentially weighted mean of its compute time per chunk, or -1 before the first. */
    private long meanChunkNanos = -1;
    /** Guarded: the function of the chunk answered last, whose chunks {@link #meanChunkNanos} describes. */
    private ShippedFunction lastFunction;
    /** Functions this worker has been sent, kept in step with its own cache. The feeder thread's only. */
    private final Map<Integer, Boolean> knownFunctions = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > PoolProtocol.FUNCTION_CACHE;
        }
    };

    /**
     * @param answers told of each DONE or FAILED frame, on the worker's control thread
     */
    PoolWorker(String name, Condition canSend, BiConsumer<PoolWorker, FrameChannel.Frame> answers) {
        this.name = name;
        this.canSend = canSend;
        this.answers = answers;
    }

    /** Completes, on the worker's control thread, once its control channel closed. */
    CompletableFuture<PoolWorker> ended() {
        return ended;
    }

    /** Records the started child; then waits until it reports ready (its initializer ran) or ends. */
    boolean awaitReady(Child started, long timeoutSeconds) throws InterruptedException {
        this.child = started;
        return ready.await(timeoutSeconds, TimeUnit.SECONDS);
    }

    boolean readyReported() {
        return readyReported;
    }

    Child child() {
        return child;
    }

    String name() {
        return name;
    }

    @Override
    public void frame(FrameChannel.Frame frame) {
        if (frame.kind() == PoolProtocol.READY) {
            readyReported = true;
            ready.countDown();
        } else {
            answers.accept(this, frame);
        }
    }

    @Override
    public void closed() {
        ready.countDown();
        ended.complete(this);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Scheduling state: guarded by the dispatcher's lock

    void signal() {
        canSend.signal();
    }

    void awaitSignal() {
        canSend.awaitUninterruptibly();
    }

    boolean isRetiring() {
        return retiring;
    }

    void retire() {
        retiring = true;
    }

    boolean isGone() {
        return gone;
    }

    int inFlightCount() {
        return inFlight.size();
    }

    /** Counts a chunk sent; returns whether the worker reached {@code maxTasksPerChild} (0: no limit) with it. */
    boolean sent(Chunk chunk, int maxTasksPerChild) {
        inFlight.addLast(chunk);
        chunksSent++;
        return maxTasksPerChild > 0 && chunksSent >= maxTasksPerChild;
    }

    /** How many more chunks it may be sent before {@code maxTasksPerChild} (0: no limit). */
    int tasksLeft(int maxTasksPerChild) {
        return maxTasksPerChild > 0 ? maxTasksPerChild - chunksSent : Integer.MAX_VALUE;
    }

    /** Removes a chunk it was to be sent but could not be; returns whether it held it. */
    boolean unsend(Chunk chunk) {
        return inFlight.remove(chunk);
    }

    /** The chunk it is running, if its id is {@code chunkId}, removed from its queue; else null (withdrawn). */
    Chunk answered(long chunkId, long computeNanos) {
        Chunk chunk = inFlight.peekFirst();
        if (chunk == null || chunk.id != chunkId) {
            return null;
        }
        inFlight.pollFirst();
        if (computeNanos >= 0) {
            lastFunction = chunk.function;
            meanChunkNanos = meanChunkNanos < 0 ? computeNanos : meanChunkNanos + (computeNanos - meanChunkNanos) / 8;
        }
        return chunk;
    }

    /** Takes every chunk it holds, the one it runs first. */
    List<Chunk> takeInFlight() {
        List<Chunk> all = new ArrayList<>(inFlight);
        inFlight.clear();
        return all;
    }

    /** Marks it gone; returns whether a successor should be started for it, given that the pool wants one. */
    boolean leave(boolean poolWantsSuccessor) {
        gone = true;
        canSend.signal();
        boolean replace = poolWantsSuccessor && !replaced;
        replaced |= replace;
        return replace;
    }

    /** Marks that its successor is being started (it retired at {@code maxTasksPerChild}). */
    void replacedNow() {
        replaced = true;
    }

    /**
     * How many chunks of {@code function} may be in flight: enough queued work to cover a round trip, within bounds.
     * Until a chunk of the function came back, its chunks' cost is unknown and the window is the smallest.
     */
    int window(ShippedFunction function) {
        if (meanChunkNanos < 0 || function != lastFunction) {
            return MIN_WINDOW;
        }
        long window = 1 + QUEUED_WORK_NANOS / Math.max(1, meanChunkNanos);
        return (int) Math.max(MIN_WINDOW, Math.min(MAX_WINDOW, window));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The feeder thread's

    /** Whether the worker must be sent {@code function} before a chunk of it; records that it will be. */
    boolean needsFunction(ShippedFunction function) {
        return knownFunctions.put(function.id(), Boolean.TRUE) == null;
    }

    void send(byte[] kinds, byte[][] payloads, int count) throws IOException {
        child.sendAll(kinds, payloads, count);
    }

    void sendStop() {
        try {
            child.send(PoolProtocol.STOP, new byte[0]);
        } catch (IOException gone) {
            // it ended anyway
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Its process

    /** The exit code of a worker whose channel closed: it is exiting, so wait a little; kill it if it hangs. */
    OptionalInt exitCode() {
        try {
            if (!child.join(Duration.ofSeconds(10))) {
                child.kill();
                child.join(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return child.exitCode();
    }

    long pid() {
        return child.pid();
    }

    void kill() {
        child.kill();
    }

    /** Kills a worker that never joined the pool, and waits until it is gone (nobody handles its end). */
    void killNeverJoined() {
        child.kill();
        exitCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
