package dev.gil.multiprocess.internal.launch;

import dev.gil.multiprocess.internal.wire.AllowedClasses;
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
 * to speed up. A waiting JVM started before the allow-list changed is not taken: it was told the old list. Each
 * {@link Launcher} has one; it kills the waiting JVM when it closes and when this JVM exits, and like every child the
 * waiting JVM also exits by itself if this JVM dies.
 */
final class WarmStandby {
    private final ChildLauncher.Means means;
    private final Object lock = new Object();
    /** The next child, being started or ready. Guarded by {@code lock}. */
    private CompletableFuture<Waiting> next;

    /** A started child and the allow-list options it was started with. */
    private record Waiting(ChildLauncher.Launched launched, List<String> allowList) {
        boolean usable() {
            return launched.control() != null && launched.process().isAlive()
                    && allowList.equals(AllowedClasses.sameAsOurs());
        }
    }

    WarmStandby(ChildLauncher.Means means) {
        this.means = means;
    }

    /** Takes the waiting child, or starts one now if none is ready. Call {@link #replenish()} once it runs its task. */
    ChildLauncher.Launched take(String name, ChildLauncher.TaskNeeds needs) throws IOException {
        CompletableFuture<Waiting> ready;
        synchronized (lock) {
            ready = next;
            next = null;
        }
        if (ready != null) {
            try {
                Waiting waiting = ready.get(60, TimeUnit.SECONDS);
                if (waiting.usable()) {
                    return waiting.launched();
                }
                waiting.launched().process().destroyForcibly();
            } catch (ExecutionException | TimeoutException failedToStart) {
                // fall through and start one the ordinary way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while taking the warm standby JVM", e);
            }
        }
        return ChildLauncher.launch(means, name, List.of(), Map.of(), null, needs);
    }

    /** Starts the next waiting child in the background, unless one is already waiting or on its way. */
    void replenish() {
        waitingOrNew();
    }

    private CompletableFuture<Waiting> waitingOrNew() {
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
     * failed to start, died while waiting or was told an allow-list that changed since is let go, so that the next
     * call or warm start boots another.
     *
     * @return whether a live child is ready
     */
    boolean awaitReady(long timeoutNanos) throws InterruptedException {
        CompletableFuture<Waiting> waiting = waitingOrNew();
        try {
            if (waiting.get(timeoutNanos, TimeUnit.NANOSECONDS).usable()) {
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
        waiting.thenAccept(unusable -> unusable.launched().process().destroyForcibly());
        return false;
    }

    /** Kills the waiting child, if any, and waits until it is gone; the next warm start launches anew. */
    void stop() {
        CompletableFuture<Waiting> waiting;
        synchronized (lock) {
            waiting = next;
            next = null;
        }
        if (waiting != null) {
            waiting.thenAccept(child -> child.launched().process().toHandle().destroyForcibly());
            try {
                waiting.get(60, TimeUnit.SECONDS).launched().process().waitFor(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException ignored) {
                // it never started: nothing to stop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private CompletableFuture<Waiting> startInBackground() {
        CompletableFuture<Waiting> future = new CompletableFuture<>();
        List<String> allowList = AllowedClasses.sameAsOurs();
        Thread starter = new Thread(() -> {
            try {
                future.complete(new Waiting(ChildLauncher.launchStandby(means), allowList));
            } catch (IOException | RuntimeException e) {
                future.completeExceptionally(e);
            }
        }, "gil4j-standby-starter");
        starter.setDaemon(true);
        starter.start();
        return future;
    }
}
