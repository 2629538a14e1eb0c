package dev.gil.refcount.internal;

import dev.gil.refcount.IllegalRefCountException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Biased reference counting (Choi et al., PACT 2018; CPython's free-threaded build, PEP 703): the thread that created
 * the object counts in a plain field, with no atomic instruction; every other thread counts in a shared word with
 * compare-and-set. The true count is the sum.
 *
 * <p>Design notes. The shared word holds {@code count << 2 | QUEUED | MERGED}. While not merged, the shared count may go
 * negative: other threads may release references that the owner counted and handed to them. Merging folds the
 * owner's local count into the shared word, sets {@code MERGED} and ends the bias; from then on every thread uses
 * the shared word and whoever takes it to zero frees the object. A merge happens:
 * <ul>
 *   <li>when the owner's local count reaches zero (or it releases more than its local share);</li>
 *   <li>when another thread takes the shared count below zero (it released references the owner counted): if the
 *       owner is dead, that thread merges in its place (it may read the dead owner's plain field because {@link Thread#isAlive()} returning {@code false}
 *       gives a happens-before edge from everything the dead thread did); if it is alive, the object is queued to
 *       the owner (once: the {@code QUEUED} bit), which merges its queue when it next creates a biased object or merges
 *       one of its own, as CPython's owner does at its next eval-breaker check. An owner that never counts again keeps such objects
 *       until it dies; then {@link DeadOwners} merges its queue in its place, as CPython merges a thread's queue when
 *       the thread exits.</li>
 * </ul>
 * Underflow is only visible once merged (before, the owner's share is unknown to others), so a release too many by a
 * non-owner is found at the merge: the object, whose count reached zero then, is freed once, the count stays at zero
 * (so its next use throws), and the misuse is logged naming the object. The merge goes on with the owner's other
 * objects: one misused object never keeps another from being freed.
 */
public final class BiasedCount extends RefCount {
    private static final int MERGED = 1;
    private static final int QUEUED = 2;
    private static final int FLAGS = MERGED | QUEUED;
    private static final int SHARED_MAX = Integer.MAX_VALUE >> 2;
    private static final VarHandle SHARED;
    private static final VarHandle LOCAL;
    private static final ThreadLocal<Owner> owners = ThreadLocal.withInitial(Owner::new);
    private static final Logger logger = LoggerFactory.getLogger(BiasedCount.class);

    static {
        try {
            SHARED = MethodHandles.lookup().findVarHandle(BiasedCount.class, "shared", int.class);
            LOCAL = MethodHandles.lookup().findVarHandle(BiasedCount.class, "local", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A thread that owns biased counts, with the queue of counts other threads asked it to merge. */
    static final class Owner {
        final Thread thread = Thread.currentThread();
        final Queue<BiasedCount> toMerge = new ConcurrentLinkedQueue<>();
        /** Set after an enqueue, cleared by the owner before it drains: one volatile read on the owner's hot path. */
        volatile boolean mergeRequested;

        void requestMerge(BiasedCount count) {
            toMerge.add(count);
            mergeRequested = true;
            DeadOwners.watch(this);
        }

        /** Merges the queue: in the owner, or once it is dead, in {@link DeadOwners}' thread. */
        void mergeQueued() {
            if (!mergeRequested) {
                return;
            }
            mergeRequested = false;
            for (BiasedCount count; (count = toMerge.poll()) != null; ) {
                if (count.merge(thread)) {
                    count.onZero.run();
                }
            }
        }

        boolean hasQueued() {
            return !toMerge.isEmpty();
        }
    }

    private final Runnable onZero;
    /** The creator's merge queue, for other threads that release its references. */
    private final Owner creator;
    /**
     * The owning thread until the merge, then {@code null}: the only field the owner's hot path reads. Plain, not
     * volatile, so the owner's loop can keep {@code local} in a register: the owner reads its own writes, and another
     * thread can only see the creator or {@code null}, neither of which is itself; whatever it then decides is
     * checked again against the volatile shared word in {@link #merge}, which is where the bias really ends.
     */
    private Thread owner;
    /**
     * The owner's count; only the owner touches it while it lives (see the notes). Read and written opaque, like
     * {@link UnsynchronizedCount}: the same instructions as plain accesses, but a retain/release pair is not folded
     * away, so the two modes are compared doing the same work.
     */
    private int local = 1;
    private volatile int shared;

    /**
     * @param onZero frees the object when a merge the caller did not ask for (a queued one) finds the count at zero
     */
    public BiasedCount(Runnable onZero) {
        this.onZero = onZero;
        Owner me = owners.get();
        this.creator = me;
        this.owner = me.thread;
        me.mergeQueued();
    }

    @Override
    public int get() {
        int word = shared;
        // Not merged: `local` may be stale for other threads; the figure is then approximate.
        return (word & MERGED) != 0 ? word >> 2 : local + (word >> 2);
    }

    /** The thread that counts without atomics, or {@code null} once the counts are merged. */
    public Thread owner() {
        return owner;
    }

    @Override
    public void retain(int increment) {
        if (owner == Thread.currentThread()) {
            int mine = (int) LOCAL.getOpaque(this);
            if (mine > SHARED_MAX - increment) {
                throw new IllegalRefCountException(get(), increment);
            }
            LOCAL.setOpaque(this, mine + increment);
            return;
        }
        for (;;) {
            int word = shared;
            int count = word >> 2;
            boolean merged = (word & MERGED) != 0;
            if ((merged && count <= 0) || count > SHARED_MAX - increment) {
                throw new IllegalRefCountException(merged ? count : get(), increment);
            }
            if (SHARED.weakCompareAndSet(this, word, word + (increment << 2))) {
                return;
            }
        }
    }

    @Override
    public boolean release(int decrement) {
        if (owner == Thread.currentThread()) {
            int mine = (int) LOCAL.getOpaque(this);
            if (decrement < mine) {
                LOCAL.setOpaque(this, mine - decrement);
                return false;
            }
            creator.mergeQueued();
            if (decrement == local) {
                local = 0;
                return merge(creator.thread);
            }
            // More than our share: fold everything into the shared word, where underflow is refused unchanged.
            if (merge(creator.thread)) {
                throw new IllegalRefCountException(0, -decrement);
            }
        }
        return releaseShared(decrement);
    }

    private boolean releaseShared(int decrement) {
        for (;;) {
            int word = shared;
            int count = word >> 2;
            boolean merged = (word & MERGED) != 0;
            if (merged && count < decrement) {
                throw new IllegalRefCountException(count, -decrement);
            }
            if (!merged && count - decrement < -SHARED_MAX) {
                throw new IllegalRefCountException(get(), -decrement);
            }
            int remaining = count - decrement;
            // Below zero, we released references the owner counted: it must merge before anyone can free.
            boolean queueNow = !merged && remaining < 0 && (word & QUEUED) == 0;
            int next = remaining << 2 | (word & FLAGS) | (queueNow ? QUEUED : 0);
            if (SHARED.weakCompareAndSet(this, word, next)) {
                if (merged) {
                    return remaining == 0;
                }
                if (remaining >= 0) {
                    return false;
                }
                Thread biasedTo = owner;
                if (biasedTo == null) {
                    return false; // merged meanwhile; the merge counted our release
                }
                if (!biasedTo.isAlive()) {
                    return merge(biasedTo);
                }
                if (queueNow) {
                    creator.requestMerge(this);
                }
                return false;
            }
        }
    }

    /**
     * Ends the bias now, from the owner: its local count joins the shared word and every thread counts with
     * compare-and-set from then on. For an object about to be handed to other threads for good.
     *
     * @throws IllegalStateException if called by a thread other than the owner while the count is biased
     */
    public void unbias() {
        Thread current = owner;
        if (current == null) {
            return;
        }
        if (current != Thread.currentThread()) {
            throw new IllegalStateException("unbias() called by thread '" + Thread.currentThread().getName()
                    + "', but the count is biased to '" + current.getName() + "'");
        }
        merge(current); // local >= 1 while biased, so the merged count is positive
    }

    /**
     * Folds the owner's local count into the shared word and ends the bias. Returns {@code true} if the merged count
     * is zero (the object must be freed). Runs in the owner, or in another thread once the owner is dead.
     */
    private boolean merge(Thread expectedOwner) {
        for (;;) {
            if (owner != expectedOwner) {
                return false; // merged already
            }
            int word = shared;
            if ((word & MERGED) != 0) {
                return false;
            }
            int count = (word >> 2) + local;
            int merged = Math.max(count, 0); // below zero: the count reached zero before, and the object is freed now
            if (SHARED.weakCompareAndSet(this, word, merged << 2 | MERGED)) {
                owner = null;
                local = 0;
                if (count < 0) {
                    logger.error("A BIASED reference count was released {} time(s) more than it was retained, by a "
                            + "thread other than its owner '{}' (found when the counts were merged): the object is "
                            + "freed now, and its next use throws", -count, expectedOwner.getName());
                }
                return merged == 0;
            }
        }
    }
}
