package dev.gil.multiprocess;

import static com.google.common.base.Preconditions.checkState;

import dev.gil.multiprocess.internal.Timeouts;
import dev.gil.multiprocess.internal.channel.FrameChannel;
import dev.gil.multiprocess.internal.launch.Child;
import dev.gil.multiprocess.internal.launch.ChildSpec;
import dev.gil.multiprocess.internal.launch.ControlProtocol;
import dev.gil.multiprocess.internal.wire.WireCodec;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicInteger;

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
 * children are killed and the others joined, as in Python. Children are launched through a {@link ProcessContext}:
 * the default one unless {@link Builder#context(ProcessContext)} names another.
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
    private static final AtomicInteger counter = new AtomicInteger();

    private enum State { NEW, STARTED, CLOSED }

    private final Object target;
    private final ChildSpec spec;
    private final ProcessContext context;

    /** Guarded by {@code this}. */
    private State state = State.NEW;
    private volatile Child child;

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
        String name = builder.name != null ? builder.name : "JvmProcess-" + counter.incrementAndGet();
        this.spec = new ChildSpec(name, builder.daemon, builder.jvmOptions, builder.environment,
                builder.workingDirectory, builder.warmStart, "");
        this.context = builder.context != null ? builder.context : ProcessContext.defaultContext();
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
     * Returns the children started through the {@linkplain ProcessContext#defaultContext() default context} that are
     * still running: Python's {@code active_children()}. See {@link ProcessContext#activeChildren()}.
     *
     * @return a snapshot
     */
    public static List<JvmProcess> activeChildren() {
        return ProcessContext.defaultContext().activeChildren();
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
        checkState(state == State.NEW, "start() called on %s, which was already %s", spec.name(),
                state == State.STARTED ? "started" : "closed");
        child = Child.start(context.launcher(), spec, target, this, null);
        state = State.STARTED;
    }

    /**
     * Waits until the child ends, and until its output has been copied.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if not started
     */
    public void join() throws InterruptedException {
        started("join()").join();
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
        return started("join(timeout)").join(Duration.ofNanos(Timeouts.nanos(timeout)));
    }

    /**
     * Tells whether the child is running.
     *
     * @return {@code true} between {@link #start()} and the child's end
     */
    public boolean isAlive() {
        Child running = child;
        return running != null && running.isAlive();
    }

    /**
     * Returns the exit code, Python style; empty until the child ended.
     *
     * @return the exit code
     */
    public OptionalInt exitCode() {
        Child running = child;
        return running == null ? OptionalInt.empty() : running.exitCode();
    }

    /**
     * Returns the child's uncaught exception: the original one when it could be sent back, else a
     * {@link ChildException} with its class name, message and stack trace.
     *
     * @return the failure, or empty if the target did not throw (or the child has not ended)
     */
    public Optional<Throwable> failure() {
        Child running = child;
        return running == null ? Optional.empty() : running.failure();
    }

    /**
     * Returns the value computed by a {@link SerializableCallable} target (null for a runnable).
     *
     * @return the result
     * @throws IllegalStateException if the child has not ended, or ended without a result (see {@link #failure()})
     */
    public Object result() {
        OptionalInt code = exitCode();
        checkState(code.isPresent(), "%s has not ended yet: join() it first", spec.name());
        FrameChannel.Frame frame = child.resultFrame();
        if (frame == null) {
            throw new IllegalStateException(spec.name() + " ended with exit code " + code.getAsInt() + " and no "
                    + "result", failure().orElse(null));
        }
        try {
            return WireCodec.decode(frame.kind() == ControlProtocol.RESULT_PACKED, frame.payload());
        } catch (IOException e) {
            throw new IllegalStateException("the result of " + spec.name() + " could not be read: " + e, e);
        }
    }

    /**
     * Sends SIGTERM: the child runs its shutdown hooks and exits with code -15.
     *
     * @throws IllegalStateException if not started
     */
    public void terminate() {
        started("terminate()").terminate();
    }

    /**
     * Sends SIGKILL: the child ends at once, with exit code -9.
     *
     * @throws IllegalStateException if not started
     */
    public void kill() {
        started("kill()").kill();
    }

    /**
     * Returns the child's process id.
     *
     * @return the pid
     * @throws IllegalStateException if not started
     */
    public long pid() {
        return started("pid()").pid();
    }

    /**
     * Returns the name, {@code JvmProcess-<n>} unless the builder gave one.
     *
     * @return the name
     */
    public String name() {
        return spec.name();
    }

    /**
     * Tells whether the child is killed, rather than joined, when this JVM exits.
     *
     * @return {@code true} for a daemon child
     */
    public boolean isDaemon() {
        return spec.daemon();
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
        checkState(child == null || child.release(), "close() called on %s while it is still running: join, "
                + "terminate or kill it first", spec.name());
        state = State.CLOSED;
    }

    private synchronized Child started(String operation) {
        checkState(state != State.CLOSED, "%s called on %s after close()", operation, spec.name());
        checkState(state == State.STARTED, "%s called on %s before start()", operation, spec.name());
        return child;
    }

    @Override
    public String toString() {
        OptionalInt code = exitCode();
        String status = child == null ? "initial" : code.isPresent() ? "exitcode=" + code.getAsInt() : "started";
        return "<JvmProcess name='" + spec.name() + "' " + status + (spec.daemon() ? " daemon" : "") + ">";
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
        private ProcessContext context;

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
         * warm start boots the waiting JVM (so it pays the boot once), unless the context's
         * {@link ProcessContext#prepareWarmStandby(Duration) prepareWarmStandby} booted it earlier; each warm start
         * boots the next one in the background once its own task runs (so the boot does not compete with the task's
         * start for CPUs). Warm starts in quick succession find the next JVM still booting and wait for it. Needs the
         * default JVM options, environment and working directory, which the waiting JVM was started with. Default:
         * {@code false}.
         *
         * @param warm whether to start warm
         * @return this builder
         */
        public Builder warmStart(boolean warm) {
            this.warmStart = warm;
            return this;
        }

        /**
         * Launches the child through {@code context} (its warm standby, its registry of children) instead of the
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
