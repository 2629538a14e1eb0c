package dev.gil.multiprocess;

import dev.gil.multiprocess.internal.FrameChannel;
import dev.gil.multiprocess.internal.PoolProtocol;
import dev.gil.multiprocess.internal.WorkerLoop;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * The parent's side of one pool worker: its child JVM, the chunks sent to it and not yet answered (in the order it
 * runs them), and how many more it may be sent. Fields marked "guarded" are guarded by the pool's lock.
 */
final class PoolWorker implements JvmProcess.ControlListener {
    /** Chunks in flight when nothing is known yet of how long a chunk takes. */
    static final int MIN_WINDOW = 2;
    /** The most chunks in flight to one worker. */
    static final int MAX_WINDOW = 64;
    /** How much work to keep queued at a worker, in its own compute time: enough to hide a round trip. */
    private static final long QUEUED_WORK_NANOS = 200_000;
    /** How long a starting worker may take to report ready. */
    private static final long READY_TIMEOUT_SECONDS = 60;

    final String name;
    /** Set once, before the worker starts. */
    volatile JvmProcess process;
    final ProcessPool pool;
    final CountDownLatch ready = new CountDownLatch(1);
    volatile boolean readyReported;
    /** Signalled when this worker may be sent more. */
    final Condition canSend;
    /** Guarded. The oldest is the one the worker is running. */
    final ArrayDeque<PoolJob.Chunk> inFlight = new ArrayDeque<>();
    /** Guarded. */
    int chunksSent;
    /** Guarded: no more chunks go to it; it is sent STOP after its last one. */
    boolean retiring;
    /** Guarded: it left the pool (ended, or died). */
    boolean gone;
    /** Guarded: a successor was (or is being) started. */
    boolean replaced;
    /** Guarded: an exponentially weighted mean of its compute time per chunk, or -1 before the first. */
    private long meanChunkNanos = -1;
    /** Functions this worker has been sent, kept in step with its own cache. Used by the feeder thread only. */
    final Map<Integer, Boolean> knownFunctions = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > PoolProtocol.FUNCTION_CACHE;
        }
    };

    PoolWorker(ProcessPool pool, String name, Condition canSend) {
        this.pool = pool;
        this.name = name;
        this.canSend = canSend;
    }

    /** Starts a worker JVM and waits until it reports ready (its initializer ran). */
    static PoolWorker start(ProcessPool pool, String workerName, Condition canSend, SerializableRunnable initializer,
            List<String> jvmOptions, boolean warmStart) {
        PoolWorker worker = new PoolWorker(pool, workerName, canSend);
        JvmProcess.Builder builder = JvmProcess.builder(new WorkerLoop(workerName, initializer), worker,
                "[" + workerName + "] ").name(workerName).daemon(true).warmStart(warmStart);
        if (!jvmOptions.isEmpty()) {
            builder.jvmOptions(jvmOptions.toArray(new String[0]));
        }
        JvmProcess process = builder.build();
        worker.process = process;
        try {
            process.start();
            if (!worker.ready.await(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.kill();
                throw new IllegalStateException(workerName + " did not report ready within "
                        + READY_TIMEOUT_SECONDS + " s; it was killed");
            }
        } catch (InterruptedException e) {
            process.kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + workerName, e);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot start " + workerName + ": " + e.getMessage(), e);
        }
        if (!worker.readyReported) {
            throw new IllegalStateException(workerName + " could not start: " + describeEnd(process),
                    process.failure().orElse(null));
        }
        return worker;
    }

    private static String describeEnd(JvmProcess process) {
        OptionalInt code = exitCodeOf(process);
        if (process.exitedBeforeTarget()) {
            return "its JVM exited with code " + (code.isPresent() ? code.getAsInt() : "unknown") + " before it "
                    + "could run anything: a JVM option it refused? (see its output above)";
        }
        return process.failure().map(f -> "its initializer threw " + f)
                .orElse("it exited with code " + (code.isPresent() ? code.getAsInt() : "unknown")
                        + " (see its output above)");
    }

    /** The exit code of a worker whose channel closed: it is exiting, so wait a little; kill it if it hangs. */
    static OptionalInt exitCodeOf(JvmProcess process) {
        try {
            if (!process.join(Duration.ofSeconds(10))) {
                process.kill();
                process.join(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitCode();
    }

    /** Guarded: the job of the chunk answered last, whose chunks {@link #meanChunkNanos} describes. */
    PoolJob lastJob;

    /**
     * Guarded. How many chunks of {@code job} may be in flight: enough queued work to cover a round trip, within
     * bounds. Until a chunk of the job came back, its chunks' cost is unknown and the window is the smallest.
     */
    int window(PoolJob job) {
        if (meanChunkNanos < 0 || job != lastJob) {
            return MIN_WINDOW;
        }
        long window = 1 + QUEUED_WORK_NANOS / Math.max(1, meanChunkNanos);
        return (int) Math.max(MIN_WINDOW, Math.min(MAX_WINDOW, window));
    }

    /** Guarded. */
    void recordComputeTime(PoolJob job, long nanos) {
        lastJob = job;
        meanChunkNanos = meanChunkNanos < 0 ? nanos : meanChunkNanos + (nanos - meanChunkNanos) / 8;
    }

    @Override
    public void frame(FrameChannel.Frame frame) {
        if (frame.kind() == PoolProtocol.READY) {
            readyReported = true;
            ready.countDown();
        } else {
            pool.answered(this, frame);
        }
    }

    @Override
    public void closed() {
        ready.countDown();
        pool.workerEnded(this);
    }

    @Override
    public String toString() {
        return name;
    }
}
