package dev.gil.multiprocess.internal.launch;

import dev.gil.multiprocess.internal.Limits;
import dev.gil.multiprocess.internal.channel.FrameChannel;
import dev.gil.multiprocess.internal.channel.Frames;
import dev.gil.multiprocess.internal.child.WorkerLoop;
import dev.gil.multiprocess.internal.wire.CodeCodec;
import dev.gil.multiprocess.internal.wire.SerialCodec;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One started child JVM and its control channel, below {@code JvmProcess} and pool workers alike: it sends the task,
 * reads what the child reports (its result, its failure, that it was signalled, that it says goodbye) on a thread of
 * its own, hands any other frame to a {@link Listener}, and turns the raw exit value into Python's exit code.
 * Thread-safe.
 */
public final class Child {
    /** SLF4J on first use: a program that never hears from us does not start its logging backend for us. */
    private static final class Log {
        static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(Child.class);
    }

    /** Receives the frames a task sends beyond the usual outcome, and the end of the channel, on the control thread. */
    public interface Listener {
        void frame(FrameChannel.Frame frame);

        void closed();
    }

    private final Launcher launcher;
    private final ChildSpec spec;
    private final Object owner;
    private final Listener listener;
    private final ChildLauncher.Launched launched;
    private final Thread reader;
    // Written by the reader thread, read after it ended.
    /** The child's RESULT or RESULT_PACKED frame. */
    private volatile FrameChannel.Frame resultFrame;
    private volatile Throwable failure;
    private volatile boolean signalled;
    private volatile boolean saidGoodbye;
    /** The child JVM ended before it could be handed its target (a JVM option it refused, say). */
    private final boolean exitedBeforeTarget;
    /** {@link #kill()} was called: an exit value of 137 is then our SIGKILL. */
    private volatile boolean killSent;
    /** {@link #terminate()} was called: a child that ends with 143 before its goodbye hook could report the SIGTERM. */
    private volatile boolean terminateSent;

    private Child(Launcher launcher, ChildSpec spec, Object owner, Listener listener,
            ChildLauncher.Launched launched) {
        this.launcher = launcher;
        this.spec = spec;
        this.owner = owner;
        this.listener = listener;
        this.launched = launched;
        this.exitedBeforeTarget = launched.control() == null;
        this.reader = exitedBeforeTarget ? null : new Thread(this::readOutcome, spec.name() + "-control");
    }

    /**
     * Starts a child JVM and hands it {@code target}: by reference where it can go so, else serialized.
     *
     * @param owner what {@code activeChildren()} lists for it (a {@code JvmProcess}), or the listener of a worker
     * @param listener told of other frames and of the channel's end, or null
     * @throws IllegalArgumentException if the target cannot be sent, naming why
     * @throws UncheckedIOException if the JVM cannot be launched
     */
    public static Child start(Launcher launcher, ChildSpec spec, Object target, Object owner, Listener listener) {
        CodeCodec.Encoded code = encode(spec, "target", target);
        return start(launcher, spec, ControlProtocol.TASK, CodeCodec.toTarget(code), needs(code), owner, listener);
    }

    /**
     * Starts a pool worker's JVM: its task is the worker's name and initializer (see {@link WorkerLoop#encode}), which
     * the child reads without Java serialization unless the initializer needs it.
     *
     * @throws IllegalArgumentException if the initializer cannot be sent, naming why
     * @throws UncheckedIOException if the JVM cannot be launched
     */
    public static Child startWorker(Launcher launcher, ChildSpec spec, String workerName, Object initializer,
            Object owner, Listener listener) {
        CodeCodec.Encoded code = initializer == null ? null : encode(spec, "initializer", initializer);
        return start(launcher, spec, ControlProtocol.TASK_WORKER, WorkerLoop.encode(workerName, code),
                code == null ? ChildLauncher.TaskNeeds.NOTHING_MORE : needs(code), owner, listener);
    }

    private static CodeCodec.Encoded encode(ChildSpec spec, String what, Object code) {
        try {
            return CodeCodec.encode(code);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the " + what + " of " + spec.name() + " cannot be sent to a child "
                    + "JVM: it is or captures something that is not serializable: " + e.getMessage(), e);
        }
    }

    /** What the child prepares while it meets us, for code of this form. */
    private static ChildLauncher.TaskNeeds needs(CodeCodec.Encoded code) {
        if (code.serialized()) {
            return ChildLauncher.TaskNeeds.SERIALIZATION;
        }
        return code.movesConnections() ? ChildLauncher.TaskNeeds.SOCKETS : ChildLauncher.TaskNeeds.NOTHING_MORE;
    }

    private static Child start(Launcher launcher, ChildSpec spec, byte taskKind, byte[] task,
            ChildLauncher.TaskNeeds needs, Object owner, Listener listener) {
        if (task.length > Limits.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException(Limits.overFrameLimit("the target of " + spec.name(), task.length)
                    + ": no child JVM was started. Send large data through a Pipe, or raise the limit");
        }
        ChildLauncher.Launched launched = null;
        Child child = null;
        try {
            launched = launcher.launch(spec, needs);
            launched.outputPrefix().set(spec.outputPrefix());
            child = new Child(launcher, spec, owner, listener, launched);
            launcher.started(child);
            if (child.exitedBeforeTarget) {
                child.failure = new IllegalStateException(spec.name() + ": the child JVM exited before it could run "
                        + "the target (see its output above)");
                if (listener != null) {
                    listener.closed();
                }
            } else {
                launched.control().send(taskKind, task, 0, task.length);
                child.reader.setDaemon(true);
                child.reader.start();
            }
            return child;
        } catch (IOException e) {
            if (launched != null) { // launched, but the task did not reach it: it must not outlive this failure
                launched.process().destroyForcibly();
            }
            if (child != null) {
                launcher.ended(child);
            }
            throw new UncheckedIOException("cannot start " + spec.name(), e);
        }
    }

    /** Reads what the child reports until its control channel closes. */
    private void readOutcome() {
        Frames control = launched.control();
        try {
            for (;;) {
                FrameChannel.Frame frame = control.receive();
                switch (frame.kind()) {
                    case ControlProtocol.RESULT, ControlProtocol.RESULT_PACKED -> resultFrame = frame;
                    case ControlProtocol.FAILURE -> failure = decodeFailure(frame.payload());
                    case ControlProtocol.SIGNAL -> signalled = true;
                    case ControlProtocol.EXITING -> saidGoodbye = true;
                    case ControlProtocol.RUNNING -> replenishStandby();
                    default -> {
                        if (listener != null) {
                            listener.frame(frame);
                        } else {
                            Log.logger.warn("{}: unknown control frame kind {}", spec.name(), frame.kind());
                        }
                    }
                }
            }
        } catch (IOException endOfChild) {
            // the child closed its end: it exited or was killed
        } finally {
            try {
                control.close();
            } catch (IOException ignored) {
                // closing
            }
            if (listener != null) {
                listener.closed();
            }
            replenishStandby(); // if it never said RUNNING
        }
    }

    /**
     * After a warm start, boots the next waiting JVM once this child runs its task, and not sooner: on a machine with
     * few CPUs a JVM booting beside the task's first milliseconds delays the very start it was meant to speed up.
     */
    private void replenishStandby() {
        if (spec.warmStart()) {
            launcher.replenishStandby();
        }
    }

    private Throwable decodeFailure(byte[] payload) {
        try {
            return (Throwable) SerialCodec.deserialize(payload);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            return new IllegalStateException(spec.name() + " failed, and its exception could not be read: " + e, e);
        }
    }

    /** Sends a frame to the child's task. */
    public void send(byte kind, byte[] payload) throws IOException {
        launched.control().send(kind, payload, 0, payload.length);
    }

    /** Sends frames to the child's task in one write. */
    public void sendAll(byte[] kinds, byte[][] payloads, int count) throws IOException {
        launched.control().sendAll(kinds, payloads, count);
    }

    /** Waits until the child ends, and its output has been copied. */
    public void join() throws InterruptedException {
        launched.process().waitFor();
        finishReading();
    }

    /** Waits at most {@code timeout}; returns whether the child has ended. */
    public boolean join(Duration timeout) throws InterruptedException {
        if (!launched.process().waitFor(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        finishReading();
        return true;
    }

    private void finishReading() throws InterruptedException {
        if (reader != null) {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        for (Thread pump : launched.outputPumps()) {
            pump.join(TimeUnit.SECONDS.toMillis(10));
        }
        launcher.ended(this);
    }

    public boolean isAlive() {
        return launched.process().isAlive();
    }

    /** The exit code, Python style; empty while the child runs. */
    public OptionalInt exitCode() {
        Process process = launched.process();
        if (process.isAlive()) {
            return OptionalInt.empty();
        }
        try {
            finishReading();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int raw = process.exitValue();
        if (killSent && raw == 128 + 9) {
            return OptionalInt.of(-9); // killed, even if a SIGTERM before it was caught and reported
        }
        if (signalled || (terminateSent && raw == 128 + 15)) {
            return OptionalInt.of(-15);
        }
        if (!saidGoodbye && raw > 128 && raw <= 128 + 64) {
            return OptionalInt.of(-(raw - 128)); // killed by a signal: it could not say goodbye
        }
        return OptionalInt.of(raw);
    }

    /** Whether the child JVM ended before it could be handed its target. */
    public boolean exitedBeforeTarget() {
        return exitedBeforeTarget;
    }

    /** The child's uncaught exception (or why it could not run its target), once it ended. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** The frame holding the target's result, or null. */
    public FrameChannel.Frame resultFrame() {
        return resultFrame;
    }

    /** Sends SIGTERM. */
    public void terminate() {
        terminateSent = true;
        // Through the handle: Process.destroy() would also close the child's output pipes before we copied the rest.
        launched.process().toHandle().destroy();
    }

    /** Sends SIGKILL. */
    public void kill() {
        killSent = true;
        launched.process().toHandle().destroyForcibly();
    }

    /** Kills it at once, before it ended: this JVM is exiting and the child is a daemon. */
    void killAtExit() {
        launched.process().destroyForcibly();
    }

    /** Waits for a non-daemon child as this JVM exits. */
    void awaitAtExit() throws InterruptedException {
        launched.process().waitFor();
    }

    public long pid() {
        return launched.process().pid();
    }

    public boolean isDaemon() {
        return spec.daemon();
    }

    /** What {@code activeChildren()} lists for this child. */
    Object owner() {
        return owner;
    }

    /**
     * Releases an ended child's streams.
     *
     * @return {@code false} if it is still running (nothing was released)
     */
    public boolean release() {
        if (isAlive()) {
            return false;
        }
        try {
            finishReading();
            launched.stdin().close();
            launched.process().getInputStream().close();
            launched.process().getErrorStream().close();
        } catch (IOException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            launcher.ended(this); // finishReading was cut short before it could
        }
        return true;
    }
}
