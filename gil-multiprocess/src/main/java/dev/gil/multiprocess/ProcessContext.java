package dev.gil.multiprocess;

import static com.google.common.base.Preconditions.checkState;

import dev.gil.multiprocess.internal.Timeouts;
import dev.gil.multiprocess.internal.launch.Launcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What launches child JVMs, and what it keeps for that: the warm standby JVM that a
 * {@linkplain JvmProcess.Builder#warmStart(boolean) warm start} takes, the FIFO made ahead of time for the next
 * control channel, the registry of the children it started, and one shutdown hook (daemon children are killed, the
 * others waited for, and what is left is removed). Python's {@code multiprocessing} context
 * ({@code get_context("forkserver")}): {@link JvmProcess}, {@link ProcessPool} and {@link ProcessPoolExecutor} use the
 * {@linkplain #defaultContext() default context} unless their builder is given another.
 *
 * <pre>{@code
 * ProcessContext.defaultContext().prepareWarmStandby(Duration.ofSeconds(10));  // at a quiet moment
 * JvmProcess.builder(Demo::doWork).warmStart(true).build().start();            // runs within milliseconds
 *
 * try (ProcessContext own = ProcessContext.create()) {                         // a context of its own, say per test
 *     JvmProcess child = JvmProcess.builder(Demo::doWork).context(own).build();
 *     child.start();
 *     child.join();
 * }                                                                            // its standby JVM is gone
 * }</pre>
 *
 * <p>A {@link ProcessQueue} needs none: it launches nothing (the process that creates it serves it). Thread-safe.
 */
public final class ProcessContext implements AutoCloseable {
    private final Launcher launcher = new Launcher();
    private final boolean isDefault;

    /** Made on first use: a program that never starts a child pays nothing for it. */
    private static final class Default {
        static final ProcessContext INSTANCE = new ProcessContext(true);
    }

    private ProcessContext(boolean isDefault) {
        this.isDefault = isDefault;
    }

    /**
     * Returns the context used when none is given: Python's default context.
     *
     * @return the default context, the same one for the life of this JVM
     */
    public static ProcessContext defaultContext() {
        return Default.INSTANCE;
    }

    /**
     * Creates a context of its own: its own warm standby, registry of children and shutdown hook.
     *
     * @return a new context; {@link #close()} it when done
     */
    public static ProcessContext create() {
        return new ProcessContext(false);
    }

    /**
     * Boots the JVM that the next {@linkplain JvmProcess.Builder#warmStart(boolean) warm start} takes, unless one is
     * waiting or on its way, and waits until it is ready for a task (booted, connected, and done loading what tasks
     * need). Optional: the first warm start boots one anyway, and pays for it; call this at a quiet moment, such as
     * application start-up, so that the first warm start is warm too.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if a JVM is ready and waiting; {@code false} if it is still booting at the timeout or
     *     could not start (the next warm start then boots one)
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if this context was closed
     */
    public boolean prepareWarmStandby(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return launcher.prepareStandby(Timeouts.nanos(timeout));
    }

    /**
     * Kills the JVM that waits for the next warm start, if one does, and waits until it is gone. The next warm start
     * boots one anew. (It is killed at this JVM's exit anyway.)
     */
    public void stopWarmStandby() {
        launcher.stopStandby();
    }

    /**
     * Returns the {@link JvmProcess} children started through this context that are still running: Python's
     * {@code active_children()}. Pool workers are their pool's ({@link ProcessPool#workerPids()}).
     *
     * @return a snapshot
     */
    public List<JvmProcess> activeChildren() {
        List<JvmProcess> children = new ArrayList<>();
        for (Object owner : launcher.liveOwners()) {
            if (owner instanceof JvmProcess) {
                children.add((JvmProcess) owner);
            }
        }
        return children;
    }

    /**
     * Starts no more children: kills the warm standby JVM and removes the spare FIFO. Children still running go on,
     * and are still killed (daemons) or waited for when this JVM exits. Idempotent.
     *
     * @throws IllegalStateException if this is the default context, which lives as long as this JVM
     */
    @Override
    public void close() {
        checkState(!isDefault, "the default ProcessContext cannot be closed: it lives as long as this JVM (stop its "
                + "warm standby with stopWarmStandby())");
        launcher.close();
    }

    /** The context's launcher, for the classes that start children. */
    Launcher launcher() {
        return launcher;
    }

    @Override
    public String toString() {
        return "ProcessContext[" + (isDefault ? "default" : "own") + ", " + launcher.liveOwners().size()
                + " children running]";
    }
}
