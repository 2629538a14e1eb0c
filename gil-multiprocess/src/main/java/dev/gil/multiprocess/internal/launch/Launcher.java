package dev.gil.multiprocess.internal.launch;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How one {@code ProcessContext} launches children, and what it keeps for that: the warm standby JVM, the FIFO made
 * ahead of time for the next control channel, the class-data archive's plan (which archive each child maps or records;
 * the files themselves are shared with every JVM of the same class path), the registry of live children, and one
 * shutdown hook that kills the daemon children, waits for the others and removes what is left. Thread-safe.
 */
public final class Launcher {
    private final ControlPipes pipes = new ControlPipes();
    private final ChildLauncher.Means means = new ChildLauncher.Means(pipes, new ClassDataArchive());
    private final WarmStandby standby = new WarmStandby(means);
    private final Set<Child> live = ConcurrentHashMap.newKeySet();
    private final Thread atExit = new Thread(this::atExit, "gil4j-children-at-exit");
    private volatile boolean closed;

    public Launcher() {
        Runtime.getRuntime().addShutdownHook(atExit);
    }

    /** Launches a child JVM as {@code spec} says, for a task that needs {@code needs}. */
    ChildLauncher.Launched launch(ChildSpec spec, ChildLauncher.TaskNeeds needs) throws IOException {
        checkState(!closed, "cannot start %s: its ProcessContext was closed", spec.name());
        if (spec.warmStart()) {
            return standby.take(spec.name(), needs);
        }
        return ChildLauncher.launch(means, spec.name(), spec.jvmOptions(), spec.environment(),
                spec.workingDirectory(), needs);
    }

    /** Prepares what {@code count} children started side by side need, before they start (see ControlPipes#prepare). */
    public void prepareLaunches(int count) {
        pipes.prepare(count);
    }

    void replenishStandby() {
        if (!closed) {
            standby.replenish();
        }
    }

    /** Boots the warm standby unless one waits, and waits at most {@code timeoutNanos} until it is ready. */
    public boolean prepareStandby(long timeoutNanos) throws InterruptedException {
        checkState(!closed, "prepareWarmStandby() called on a closed ProcessContext");
        return standby.awaitReady(timeoutNanos);
    }

    /** Kills the warm standby, if one waits. */
    public void stopStandby() {
        standby.stop();
    }

    void started(Child child) {
        live.add(child);
    }

    void ended(Child child) {
        live.remove(child);
    }

    /** The owners of the children still running, such as their {@code JvmProcess}. */
    public List<Object> liveOwners() {
        List<Object> owners = new ArrayList<>();
        for (Child child : live) {
            if (child.isAlive()) {
                owners.add(child.owner());
            }
        }
        return owners;
    }

    /**
     * Starts nothing more: kills the warm standby and removes the spare FIFOs, making none from now on. Children still
     * running stay in the registry, and the shutdown hook stays for them. Idempotent.
     */
    public void close() {
        closed = true;
        standby.stop();
        pipes.close();
        if (liveOwners().isEmpty()) {
            try {
                Runtime.getRuntime().removeShutdownHook(atExit);
            } catch (IllegalStateException exiting) {
                // the hook runs anyway
            }
        }
    }

    private void atExit() {
        standby.stop();
        pipes.close(); // first: a launch under way must not leave a spare behind while the children below are awaited
        for (Child child : live) {
            if (child.isDaemon()) {
                child.killAtExit();
            } else {
                try {
                    child.awaitAtExit();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }
}
