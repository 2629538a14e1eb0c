package dev.gil.refcount.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Merges the queues of owner threads that died before they merged them: CPython merges a thread's queued objects when
 * the thread exits, and Java has no hook at a thread's exit, so a daemon thread looks for dead owners among those with
 * a queue, every {@value #CHECK_MILLIS} ms, and only while there are any. Without it an object whose last reference
 * another thread released would never be freed once its owner stopped counting for good.
 *
 * <p>Reading a dead owner's plain fields is safe: {@link Thread#isAlive()} returning {@code false} gives a
 * happens-before edge from everything the owner did. The deallocator of an object merged here runs on this thread.
 */
final class DeadOwners {
    static final long CHECK_MILLIS = 10;

    private static final Set<BiasedCount.Owner> watched = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean running = new AtomicBoolean();

    private DeadOwners() {}

    /** Called by anyone who queued a count to {@code owner}. */
    static void watch(BiasedCount.Owner owner) {
        watched.add(owner);
        if (running.compareAndSet(false, true)) {
            Thread reaper = new Thread(DeadOwners::run, "gil4j-biased-count-dead-owners");
            reaper.setDaemon(true);
            reaper.start();
        }
    }

    private static void run() {
        for (;;) {
            for (BiasedCount.Owner owner : watched) {
                if (!owner.thread.isAlive()) {
                    watched.remove(owner);
                    owner.mergeRequested = true; // whatever it last saw, its queue is ours to merge now
                    owner.mergeQueued();
                } else if (!owner.hasQueued()) {
                    watched.remove(owner); // it merged them itself; a later request watches it again
                    if (owner.hasQueued()) {
                        watched.add(owner);
                    }
                }
            }
            if (watched.isEmpty()) {
                running.set(false);
                // A watch() between the check and the reset found us running: carry on for it.
                if (watched.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS));
        }
    }
}
