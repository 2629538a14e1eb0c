package dev.gil.multiprocess.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One child JVM started ahead of time with the default options, connected and waiting for its task: the JVM's answer
 * to Python's forkserver. A warm start takes it (the task then starts within a few milliseconds instead of a JVM
 * boot), hands it the task, and starts the next one in the background ({@link #replenish()}) only once the task runs:
 * a JVM booting next to the task's first milliseconds, on a machine with few CPUs, would delay the start it was meant
 * to speed up. The waiting JVM is killed when this JVM exits, or by
 * {@link #stop()}; like every child, it also exits by itself if this JVM dies.
 */
public final class WarmStandby {
    private static final Object lock = new Object();
    /** The next child, being started or ready. Guarded by {@code lock}. */
    private static CompletableFuture<ChildLauncher.Launched> next;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(WarmStandby::stop, "gil4j-standby-at-exit"));
    }

    private WarmStandby() {}

    /** Takes the waiting child, or starts one now if none is ready. Call {@link #replenish()} once it runs its task. */
    public static ChildLauncher.Launched take(String name, ChildLauncher.TaskNeeds needs) throws IOException {
        CompletableFuture<ChildLauncher.Launched> ready;
        synchronized (lock) {
            ready = next;
            next = null;
        }
        if (ready != null) {
            try {
                ChildLauncher.Launched launched = ready.get(60, TimeUnit.SECONDS);
                if (launched.control() != null && launched.process().isAlive()) {
                    return launched;
                }
            } catch (ExecutionException | TimeoutException failedToStart) {
                // fall through and start one the ordinary way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while taking the warm standby JVM", e);
            }
        }
        return ChildLauncher.launch(name, List.of(), Map.of(), null, needs);
    }

    /** Starts the next waiting child in the background, unless one is already waiting or on its way. */
    public static void replenish() {
        waitingOrNew();
    }

    private static CompletableFuture<ChildLauncher.Launched> waitingOrNew() {
        synchronized (lock) {
            if (next == null) {
                next = startInBackground();
            }
            return next;
        }
    }

    /**
     * Starts the waiting child unless one is waiting or on its way, and waits up to {@code timeoutNanos} until it is
     * ready: connected, and done with its preparation, which such a child does before it connects. A child that
     * failed to start or died while waiting is let go, so that the next call or warm start boots another.
     *
     * @return whether a live child is ready
     */
    public static boolean awaitReady(long timeoutNanos) throws InterruptedException {
        CompletableFuture<ChildLauncher.Launched> waiting = waitingOrNew();
        try {
            ChildLauncher.Launched launched = waiting.get(timeoutNanos, TimeUnit.NANOSECONDS);
            if (launched.control() != null && launched.process().isAlive()) {
                return true;
            }
        } catch (TimeoutException stillBooting) {
            return false;
        } catch (ExecutionException failedToStart) {
            // let it go, below
        }
        synchronized (lock) {
            if (next == waiting) {
                next = null;
            }
        }
        return false;
    }

    /** Kills the waiting child, if any, and waits until it is gone; the next warm start launches anew. */
    public static void stop() {
        CompletableFuture<ChildLauncher.Launched> waiting = letGo();
        if (waiting != null) {
            try {
                waiting.get(60, TimeUnit.SECONDS).process().waitFor(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException ignored) {
                // it never started: nothing to stop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Lets the waiting child go without waiting for it (it was started with settings that changed since). */
    static void discard() {
        letGo();
    }

    /** Takes the waiting child, if any, and has it killed once it is up. */
    private static CompletableFuture<ChildLauncher.Launched> letGo() {
        CompletableFuture<ChildLauncher.Launched> waiting;
        synchronized (lock) {
            waiting = next;
            next = null;
        }
        if (waiting != null) {
            waiting.thenAccept(launched -> launched.process().toHandle().destroyForcibly());
        }
        return waiting;
    }

    private static CompletableFuture<ChildLauncher.Launched> startInBackground() {
        CompletableFuture<ChildLauncher.Launched> future = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                future.complete(ChildLauncher.launchStandby());
            } catch (IOException | RuntimeException e) {
                future.completeExceptionally(e);
            }
        }, "gil4j-standby-starter");
        starter.setDaemon(true);
        starter.start();
        return future;
    }
}
