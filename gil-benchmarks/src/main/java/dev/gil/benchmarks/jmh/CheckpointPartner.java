package dev.gil.benchmarks.jmh;

import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The other side of a handoff ping-pong: a {@link GilThread} that checkpoints until closed, handing the lock back
 * whenever the benchmark thread is queued. The benchmark thread holds the lock between round trips.
 *
 * <pre>{@code
 * CheckpointPartner partner = CheckpointPartner.start(gil);
 * try {
 *     partner.roundTrip(); // two handoffs
 * } finally {
 *     partner.stop();
 * }
 * }</pre>
 */
public final class CheckpointPartner {
    private final GlobalInterpreterLock gil;
    private final AtomicBoolean done = new AtomicBoolean();
    private final Thread thread;

    private CheckpointPartner(GlobalInterpreterLock gil) {
        this.gil = gil;
        this.thread = new GilThread(gil, () -> {
            while (!done.get()) {
                gil.checkpoint();
            }
        }, "partner");
    }

    /**
     * Takes the lock on the calling thread and starts the partner.
     *
     * @param gil the lock to pass back and forth
     * @return the running partner
     */
    public static CheckpointPartner start(GlobalInterpreterLock gil) {
        CheckpointPartner partner = new CheckpointPartner(gil);
        gil.acquire();
        partner.thread.start();
        return partner;
    }

    /** Waits, spinning, until the partner is queued for the lock, so that the next checkpoint hands it over. */
    public void awaitQueued() {
        while (gil.getQueueLength() == 0) {
            Thread.onSpinWait();
        }
    }

    /** Waits for the partner to queue, then hands the lock over at a checkpoint and gets it back: two handoffs. */
    public void roundTrip() {
        awaitQueued();
        gil.checkpoint();
    }

    /**
     * Stops the partner and releases the lock; call it on the thread that started the partner.
     *
     * @throws InterruptedException if interrupted while joining the partner
     */
    public void stop() throws InterruptedException {
        done.set(true);
        gil.release();
        thread.join();
    }
}
