package dev.gil.multiprocess;

import static com.google.common.base.Preconditions.checkState;

import dev.gil.multiprocess.internal.ChildLauncher;
import dev.gil.multiprocess.internal.ChildTask;
import dev.gil.multiprocess.internal.ControlProtocol;
import dev.gil.multiprocess.internal.FrameChannel;
import dev.gil.multiprocess.internal.Frames;
import dev.gil.multiprocess.internal.LambdaByReference;
import dev.gil.multiprocess.internal.Limits;
import dev.gil.multiprocess.internal.SerialCodec;
import dev.gil.multiprocess.internal.Timeouts;
import dev.gil.multiprocess.internal.WarmStandby;
import dev.gil.multiprocess.internal.WireCodec;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lambda running in a child JVM: Python's {@code multiprocessing.Process(target=do_work)}. The child uses this JVM's
 * {@code java} binary and class path; the target crosses as a serialized lambda.
 *
 * <pre>{@code
 * JvmProcess pr1 = new JvmProcess(Demo::doWork);     // pr1 = Process(target=do_work)
 * pr1.start();                                       // pr1.start()
 * pr1.join();                                        // pr1.join()
 * System.out.println(pr1.exitCode());                // OptionalInt[0]
 * }</pre>
 *
 * <p><b>Exit codes</b> follow Python: 0 when the target returned, 1 when it threw (see {@link #failure()}), {@code n}
 * for {@code System.exit(n)}, {@code -N} when killed by signal N ({@link #terminate()} gives -15, {@link #kill()}
 * -9, also after a {@code terminate()} the child caught). A child that exits says so before it goes, so
 * {@code System.exit(137)} reads as 137, not as a SIGKILL. {@code Runtime.halt(n)} says nothing: the JDK reports a
 * halt with {@code n} from 129 to 192 exactly as a death by signal {@code n - 128}, so it reads as {@code -(n - 128)}.
 *
 * <p><b>Robustness.</b> The child's {@code System.out} and {@code System.err} are copied to this JVM's, line by line;
 * they never touch the control channel: the child's stdin one way and a named pipe in a private (0700) directory the
 * other, or, where {@code mkfifo} is missing (or with {@code -Ddev.gil.multiprocess.control=socket}), a private
 * AF_UNIX socket; either way the child proves itself with a random token first. A child whose parent dies (even by
 * {@code kill -9}) exits within about a fifth of a second: it watches the parent's pid. At this JVM's exit, daemon
 * children are killed and the others joined, as in Python.
 *
 * <p><b>Start-up.</b> A cold start boots a JVM, so it costs about what a bare {@code java -version} does; what keeps
 * it there: cheap flags (the serial collector, unless the {@linkplain Builder#jvmOptions(String...) JVM options} or an
 * inherited {@code JAVA_TOOL_OPTIONS} name another; {@code -XX:-UsePerfData}; this JVM's NIO selector provider), pipes
 * for the control channel, an AppCDS archive of the classes a child loads when the class path is all jars (recorded by
 * the first child, kept in {@code ~/.cache/gil4j/cds}; see {@code docs/configuration.md} to move or turn it off; a
 * child started with a Java agent starts without it), a target that is a lambda capturing only connections and small
 * values sent by reference (the child then needs no Java deserialization), and such a target's static method called
 * directly. A {@link Builder#warmStart(boolean) warm start} skips the boot altogether, Python's {@code forkserver}.
 * The reasons behind each choice are in {@code docs/design/processes.md}, the figures in {@code docs/performance.md}.
 *
 * <p>A {@code JvmProcess} is started at most once. Thread-safe.
 */
public final class JvmProcess implements AutoCloseable {
    /** SLF4J on first use: a program that never hears from us does not start its logging backend for us. */
    private static final class Log {
        static final Logger logger = LoggerFactory.getLogger(JvmProcess.class);
    }

    private static final AtomicInteger counter = new AtomicInteger();
    private static final Set<JvmProcess> active = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(JvmProcess::atExit, "gil4j-children-at-exit"));
    }

    private enum State { NEW, STARTED, CLOSED }

    private final Object target;
    private final String name;
    private final boolean daemon;
    private final List<String> jvmOptions;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final boolean warmStart;
    private final ControlListener controlListener;
    private final String outputPrefix;

    /** Guarded by {@code this}. */
    private State state = State.NEW;
    private volatile ChildLauncher.Launched launched;
    private volatile Thread reader;
    // Written by the reader thread, read after it ended.
    /** The child's RESULT or RESULT_PACKED frame. */
    private volatile FrameChannel.Frame resultFrame;
    private volatile Throwable failure;
    private volatile boolean signalled;
    /** The child JVM ended before it could be handed its target (a JVM option it refused, say). */
    private volatile boolean exitedBeforeTarget;
    /** {@link #kill()} was called: an exit value of 137 is then our SIGKILL. */
    private volatile boolean killSent;
    /** {@link #terminate()} was called: a child that ends with 143 before its SIGTERM reporter was in place. */
    private volatile boolean terminateSent;
    private volatile boolean saidGoodbye;

    /**
     * A child that will run {@code target}, with the defaults of {@link #builder(SerializableRunnable)}.
     *
     * @param target what the child runs
     */
    public JvmProcess(SerializableRunnable target) {
        this(new Builder(target));
    }

    /**
     * A child that will compute {@code target}; its value is {@link #result()} after a successful join.
     *
     * @param target what the child computes
     */
    public JvmProcess(SerializableCallable<?> target) {
        this(new Builder(target));
    }

    private JvmProcess(Builder builder) {
        this.target = builder.target;
        this.name = builder.name != null ? builder.name : "JvmProcess-" + counter.incrementAndGet();
        this.daemon = builder.daemon;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.environment = Map.copyOf(builder.environment);
        this.workingDirectory = builder.workingDirectory;
        this.warmStart = builder.warmStart;
        this.controlListener = builder.controlListener;
        this.outputPrefix = builder.outputPrefix;
    }

    /**
     * Receives the control frames a {@link ChildTask} target sends beyond the usual outcome, and the end of the
     * channel. Called on the child's control thread.
     */
    interface ControlListener {
        void frame(FrameChannel.Frame frame);

        void closed();
    }

    /** A builder for a child running a task that talks over the control channel itself (a pool worker). */
    static Builder builder(ChildTask target, ControlListener listener, String outputPrefix) {
        Builder builder = new Builder(target);
        builder.controlListener = Objects.requireNonNull(listener, "listener");
        builder.outputPrefix = outputPrefix;
        return builder;
    }

    /** Sends a frame to a started child's {@link ChildTask}. */
    void sendControl(byte kind, byte[] payload) throws IOException {
        launched.control().send(kind, payload, 0, payload.length);
    }

    /** Sends frames to a started child's {@link ChildTask} in one write. */
    void sendControl(byte[] kinds, byte[][] payloads, int count) throws IOException {
        launched.control().sendAll(kinds, payloads, count);
    }

    /**
     * Returns a builder for a child running {@code target}.
     *
     * @param target what the child runs
     * @return the builder
     */
    public static Builder builder(SerializableRunnable target) {
        return new Builder(target);
    }

    /**
     * Returns a builder for a child computing {@code target}.
     *
     * @param target what the child computes
     * @return the builder
     */
    public static Builder builder(SerializableCallable<?> target) {
        return new Builder(target);
    }

    /**
     * Returns the children started by this JVM that are still running: Python's {@code active_children()}.
     *
     * @return a snapshot
     */
    public static List<JvmProcess> activeChildren() {
        List<JvmProcess> alive = new ArrayList<>();
        for (JvmProcess child : active) {
            if (child.isAlive()) {
                alive.add(child);
            }
        }
        return alive;
    }

    /**
     * Starts the child JVM and hands it the target.
     *
     * @throws IllegalStateException if already started or closed
     * @throws IllegalArgumentException if the target (or something it captures) is not serializable; the message
     *     names the type
     * @throws UncheckedIOException if the child JVM cannot be launched
     */
    public synchronized void start() {
        checkState(state == State.NEW, "start() called on %s, which was already %s", name,
                state == State.STARTED ? "started" : "closed");
        byte[] task;
        byte taskKind;
        ChildLauncher.TaskNeeds needs;
        try {
            LambdaByReference.Reference reference = LambdaByReference.encode(target);
            if (reference != null) {
                task = reference.bytes();
                taskKind = ControlProtocol.TASK_BY_REFERENCE;
                needs = reference.movesConnections() ? ChildLauncher.TaskNeeds.SOCKETS
                        : ChildLauncher.TaskNeeds.NOTHING_MORE;
            } else {
                task = SerialCodec.serialize(target);
                taskKind = ControlProtocol.TASK;
                needs = ChildLauncher.TaskNeeds.SERIALIZATION;
            }
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the target of " + name + " cannot be sent to a child JVM: it is or "
                    + "captures something that is not serializable: " + e.getMessage(), e);
        }
        if (task.length > Limits.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException(Limits.overFrameLimit("the target of " + name, task.length)
                    + ": no child JVM was started. Send large data through a Pipe, or raise the limit");
        }
        try {
            launched = warmStart ? WarmStandby.take(name, needs)
                    : ChildLauncher.launch(name, jvmOptions, environment, workingDirectory, needs);
            launched.outputPrefix().set(outputPrefix);
            if (launched.control() == null) {
                exitedBeforeTarget = true;
                failure = new IllegalStateException(name + ": the child JVM exited before it could run the target"
                        + " (see its output above)");
                if (controlListener != null) {
                    controlListener.closed();
                }
            } else {
                launched.control().send(taskKind, task, 0, task.length);
                reader = new Thread(this::readOutcome, name + "-control");
                reader.setDaemon(true);
                reader.start();
            }
        } catch (IOException e) {
            if (launched != null) { // launched, but the task did not reach it: it must not outlive this failure
                launched.process().destroyForcibly();
                launched = null;
            }
            throw new UncheckedIOException("cannot start " + name, e);
        }
        state = State.STARTED;
        active.add(this);
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
                        if (controlListener != null) {
                            controlListener.frame(frame);
                        } else {
                            Log.logger.warn("{}: unknown control frame kind {}", name, frame.kind());
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
            if (controlListener != null) {
                controlListener.closed();
            }
            replenishStandby(); // if it never said RUNNING
        }
    }

    /**
     * After a warm start, boots the next waiting JVM once this child runs its task, and not sooner: on a machine with
     * few CPUs a JVM booting beside the task's first milliseconds delays the very start it was meant to speed up.
     */
    private void replenishStandby() {
        if (warmStart) {
            WarmStandby.replenish();
        }
    }

    private Throwable decodeFailure(byte[] payload) {
        try {
            return (Throwable) SerialCodec.deserialize(payload);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            return new IllegalStateException(name + " failed, and its exception could not be read: " + e, e);
        }
    }

    /**
     * Waits until the child ends, and until its output has been copied.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if not started
     */
    public void join() throws InterruptedException {
        Process process = process("join()");
        process.waitFor();
        finishReading();
    }

    /**
     * Waits at most {@code timeout} for the child to end.
     *
     * @param timeout how long to wait; zero or negative just checks
     * @return {@code true} if the child has ended
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if not started
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Process process = process("join(timeout)");
        long nanos = Timeouts.nanos(timeout);
        if (!process.waitFor(nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        finishReading();
        return true;
    }

    private void finishReading() throws InterruptedException {
        ChildLauncher.Launched child = launched;
        Thread control = reader;
        if (control != null) {
            control.join(TimeUnit.SECONDS.toMillis(10));
        }
        for (Thread pump : child.outputPumps()) {
            pump.join(TimeUnit.SECONDS.toMillis(10));
        }
        active.remove(this);
    }

    /**
     * Tells whether the child is running.
     *
     * @return {@code true} between {@link #start()} and the child's end
     */
    public boolean isAlive() {
        ChildLauncher.Launched child = launched;
        return child != null && child.process().isAlive();
    }

    /**
     * Returns the exit code, Python style; empty until the child ended.
     *
     * @return the exit code
     */
    public OptionalInt exitCode() {
        ChildLauncher.Launched child = launched;
        if (child == null || child.process().isAlive()) {
            return OptionalInt.empty();
        }
        try {
            finishReading();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int raw = child.process().exitValue();
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

    /** Whether the child JVM ended before it could be handed its target, for pools that say why a worker failed. */
    boolean exitedBeforeTarget() {
        return exitedBeforeTarget;
    }

    /**
     * Returns the child's uncaught exception: the original one when it could be sent back, else a
     * {@link ChildException} with its class name, message and stack trace.
     *
     * @return the failure, or empty if the target did not throw (or the child has not ended)
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Returns the value computed by a {@link SerializableCallable} target (null for a runnable).
     *
     * @return the result
     * @throws IllegalStateException if the child has not ended, or ended without a result (see {@link #failure()})
     */
    public Object result() {
        OptionalInt code = exitCode();
        checkState(code.isPresent(), "%s has not ended yet: join() it first", name);
        FrameChannel.Frame frame = resultFrame;
        if (frame == null) {
            throw new IllegalStateException(name + " ended with exit code " + code.getAsInt() + " and no result",
                    failure);
        }
        try {
            return WireCodec.decode(frame.kind() == ControlProtocol.RESULT_PACKED, frame.payload());
        } catch (IOException e) {
            throw new IllegalStateException("the result of " + name + " could not be read: " + e, e);
        }
    }

    /**
     * Sends SIGTERM: the child runs its shutdown hooks and exits with code -15.
     *
     * @throws IllegalStateException if not started
     */
    public void terminate() {
        terminateSent = true;
        // Through the handle: Process.destroy() would also close the child's output pipes before we copied the rest.
        process("terminate()").toHandle().destroy();
    }

    /**
     * Sends SIGKILL: the child ends at once, with exit code -9.
     *
     * @throws IllegalStateException if not started
     */
    public void kill() {
        Process process = process("kill()");
        killSent = true;
        process.toHandle().destroyForcibly();
    }

    /**
     * Returns the child's process id.
     *
     * @return the pid
     * @throws IllegalStateException if not started
     */
    public long pid() {
        return process("pid()").pid();
    }

    /**
     * Returns the name, {@code JvmProcess-<n>} unless the builder gave one.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Tells whether the child is killed, rather than joined, when this JVM exits.
     *
     * @return {@code true} for a daemon child
     */
    public boolean isDaemon() {
        return daemon;
    }

    /**
     * Releases the resources of an ended child. Closing again does nothing; any other operation afterwards throws.
     *
     * @throws IllegalStateException if the child is still running: join, terminate or kill it first (as in Python)
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        checkState(!isAlive(), "close() called on %s while it is still running: join, terminate or kill it first",
                name);
        ChildLauncher.Launched child = launched;
        if (child != null) {
            try {
                finishReading();
                child.stdin().close();
                child.process().getInputStream().close();
                child.process().getErrorStream().close();
            } catch (IOException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        active.remove(this);
        state = State.CLOSED;
    }

    private synchronized Process process(String operation) {
        checkState(state != State.CLOSED, "%s called on %s after close()", operation, name);
        checkState(state == State.STARTED, "%s called on %s before start()", operation, name);
        return launched.process();
    }

    @Override
    public String toString() {
        OptionalInt code = launched == null ? OptionalInt.empty() : exitCode();
        String status = launched == null ? "initial" : code.isPresent() ? "exitcode=" + code.getAsInt() : "started";
        return "<JvmProcess name='" + name + "' " + status + (daemon ? " daemon" : "") + ">";
    }

    /**
     * Kills the JVM that waits for the next {@link Builder#warmStart(boolean) warm start}, if one does. The next warm
     * start boots one anew. (It is killed at this JVM's exit anyway.)
     */
    public static void stopWarmStandby() {
        WarmStandby.stop();
    }

    /**
     * Boots the JVM that the next {@link Builder#warmStart(boolean) warm start} takes, unless one is waiting or on its
     * way, and waits until it is ready for a task (booted, connected, and done loading what tasks need). Optional: the
     * first warm start boots one anyway, and pays for it; call this at a quiet moment, such as application start-up,
     * so that the first warm start is warm too.
     *
     * <pre>{@code
     * JvmProcess.prepareWarmStandby(Duration.ofSeconds(10));
     * JvmProcess.builder(Demo::doWork).warmStart(true).build().start(); // runs within milliseconds
     * }</pre>
     *
     * @param timeout how long to wait at most
     * @return {@code true} if a JVM is ready and waiting; {@code false} if it is still booting at the timeout or
     *     could not start (the next warm start then boots one)
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean prepareWarmStandby(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return WarmStandby.awaitReady(Timeouts.nanos(timeout));
    }

    private static void atExit() {
        for (JvmProcess child : active) {
            ChildLauncher.Launched launchedChild = child.launched;
            if (launchedChild == null) {
                continue;
            }
            if (child.daemon) {
                launchedChild.process().destroyForcibly();
            } else {
                try {
                    launchedChild.process().waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Configures a {@link JvmProcess}. Each setting may be given once. Not thread-safe.
     *
     * <pre>{@code
     * JvmProcess worker = JvmProcess.builder(Demo::doWork)
     *         .name("w1").daemon(true).jvmOptions("-Xmx64m")
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final Object target;
        private String name;
        private boolean daemon;
        private boolean daemonSet;
        private final List<String> jvmOptions = new ArrayList<>();
        private boolean jvmOptionsSet;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private boolean warmStart;
        private ControlListener controlListener;
        private String outputPrefix = "";

        private Builder(Object target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        /**
         * Names the process (thread names and messages).
         *
         * @param name a non-blank name
         * @return this builder
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank but was '" + name + "'");
            }
            checkState(this.name == null, "name was already set to %s", this.name);
            this.name = name;
            return this;
        }

        /**
         * Makes the child a daemon: killed, not joined, when this JVM exits. Default: {@code false}.
         *
         * @param daemon whether the child is a daemon
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            checkState(!daemonSet, "daemon was already set to %s", this.daemon);
            this.daemon = daemon;
            this.daemonSet = true;
            return this;
        }

        /**
         * Adds options for the child's {@code java} command, such as {@code -Xmx64m}. They come after ours, so they
         * win where both set the same flag; a collector named here ({@code -XX:+UseG1GC}, say) is the child's instead
         * of the serial collector.
         *
         * @param options JVM options
         * @return this builder
         */
        public Builder jvmOptions(String... options) {
            checkState(!jvmOptionsSet, "jvmOptions were already set to %s", jvmOptions);
            for (String option : options) {
                jvmOptions.add(Objects.requireNonNull(option, "option"));
            }
            jvmOptionsSet = true;
            return this;
        }

        /**
         * Adds environment variables to the child's (which otherwise inherits this JVM's).
         *
         * @param variables name to value
         * @return this builder
         */
        public Builder environment(Map<String, String> variables) {
            checkState(environment.isEmpty(), "environment was already set to %s", environment);
            environment.putAll(variables);
            return this;
        }

        /**
         * Sets the child's working directory. Default: this JVM's.
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder workingDirectory(Path directory) {
            checkState(workingDirectory == null, "working directory was already set to %s", workingDirectory);
            this.workingDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Starts the child in a JVM that was booted ahead of time and waits, connected, for a task, the JVM's take on
         * Python's {@code forkserver}: {@code start()} then costs a few milliseconds instead of a JVM boot. The first
         * warm start boots the waiting JVM (so it pays the boot once), unless {@link #prepareWarmStandby(Duration)}
         * booted it earlier; each warm start boots the next one in the background once its own task runs (so the boot
         * does not compete with the task's start for CPUs). Warm starts in quick succession find the next JVM still
         * booting and wait for it. Needs the default JVM options,
         * environment and working directory, which the waiting JVM was started with. Default: {@code false}.
         *
         * @param warm whether to start warm
         * @return this builder
         */
        public Builder warmStart(boolean warm) {
            this.warmStart = warm;
            return this;
        }

        /**
         * Builds the (not yet started) process.
         *
         * @return the process
         * @throws IllegalStateException if a warm start was asked for together with JVM options, environment
         *     variables or a working directory
         */
        public JvmProcess build() {
            checkState(!warmStart || (jvmOptions.isEmpty() && environment.isEmpty() && workingDirectory == null),
                    "warmStart(true) needs the default JVM options, environment and working directory: the waiting "
                            + "JVM was started with them (got options %s, environment %s, directory %s)",
                    jvmOptions, environment, workingDirectory);
            return new JvmProcess(this);
        }
    }
}
