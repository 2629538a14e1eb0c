package dev.gil.refcount;

import dev.gil.core.GlobalInterpreterLock;
import dev.gil.refcount.internal.AtomicCount;
import dev.gil.refcount.internal.BiasedCount;
import dev.gil.refcount.internal.GilCount;
import dev.gil.refcount.internal.ImmortalCount;
import dev.gil.refcount.internal.LeakRecord;
import dev.gil.refcount.internal.LockedCount;
import dev.gil.refcount.internal.RefCount;
import dev.gil.refcount.internal.UnsynchronizedCount;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The base of reference-counted objects: the count starts at one, and {@link #deallocate()} runs exactly once, when
 * it reaches zero. How the count is kept safe across threads is the {@link RefCountMode} chosen at construction.
 *
 * <p>Whatever the mode, {@code deallocate()} never runs twice: a second transition to zero (which only a race on an
 * {@link RefCountMode#UNSYNCHRONIZED} count can produce) throws {@link IllegalRefCountException} instead. The thread
 * that runs {@code deallocate()} sees everything the other threads did before their releases, in every thread-safe
 * mode.
 *
 * <pre>{@code
 * final class NativeBuffer extends AbstractRefCounted {
 *     private final long address = Native.malloc(4096);
 *
 *     NativeBuffer() {
 *         super(RefCountMode.ATOMIC);
 *     }
 *
 *     protected void deallocate() {
 *         Native.free(address);
 *     }
 * }
 * }</pre>
 */
public abstract class AbstractRefCounted implements RefCounted {
    private static final VarHandle FREED;

    static {
        try {
            FREED = MethodHandles.lookup().findVarHandle(AbstractRefCounted.class, "freed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final RefCountMode mode;
    private final RefCount count;
    private final LeakRecord leak;
    @SuppressWarnings("unused") // accessed through FREED
    private volatile boolean freed;

    /**
     * Creates an object with a count of one, kept in {@code mode}. {@link RefCountMode#GIL} binds it to
     * {@link RefCountMode#defaultInterpreterLock()}.
     *
     * @param mode how the count is kept thread-safe
     */
    @SuppressWarnings("this-escape") // see the private constructor
    protected AbstractRefCounted(RefCountMode mode) {
        this(mode, mode == RefCountMode.GIL ? RefCountMode.defaultInterpreterLock() : null);
    }

    /**
     * Creates a {@link RefCountMode#GIL GIL-mode} object bound to {@code gil}: every caller of its counting methods
     * must hold that lock.
     *
     * @param gil the lock that guards the count
     */
    @SuppressWarnings("this-escape") // see the private constructor
    protected AbstractRefCounted(GlobalInterpreterLock gil) {
        this(RefCountMode.GIL, Objects.requireNonNull(gil, "gil"));
    }

    // `this` escapes on purpose, and safely: the leak detector keeps only a phantom reference (it never calls the
    // object), and the callback is run only when counts merge, after construction. (javac 21+ warns; 17 ignores the key.)
    @SuppressWarnings("this-escape")
    private AbstractRefCounted(RefCountMode mode, GlobalInterpreterLock gil) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.count = newCount(mode, gil, this::freeAfterQueuedMerge);
        this.leak = mode == RefCountMode.IMMORTAL ? null : LeakDetector.track(this);
    }

    private static RefCount newCount(RefCountMode mode, GlobalInterpreterLock gil, Runnable onQueuedZero) {
        switch (mode) {
            case UNSYNCHRONIZED:
                return new UnsynchronizedCount();
            case GIL:
                return new GilCount(gil);
            case PER_OBJECT_LOCK:
                return new LockedCount();
            case ATOMIC:
                return new AtomicCount();
            case BIASED:
                return new BiasedCount(onQueuedZero);
            case IMMORTAL:
                return ImmortalCount.INSTANCE;
            default:
                throw new AssertionError(mode);
        }
    }

    /**
     * Frees what this object holds. Called exactly once, by the thread whose release took the count to zero.
     */
    protected abstract void deallocate();

    /**
     * Returns how this object's count is kept.
     *
     * @return the mode
     */
    public final RefCountMode mode() {
        return mode;
    }

    @Override
    public int refCnt() {
        return isFreed() ? 0 : count.get();
    }

    @Override
    public RefCounted retain() {
        return retain(1);
    }

    @Override
    public RefCounted retain(int increment) {
        checkPositive(increment, "increment");
        count.retain(increment);
        return this;
    }

    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        checkPositive(decrement, "decrement");
        if (!count.release(decrement)) {
            return false;
        }
        free(decrement);
        return true;
    }

    /** A BIASED count's owner merged a count that other threads had released to zero. */
    private void freeAfterQueuedMerge() {
        free(0);
    }

    private void free(int decrement) {
        if (!FREED.compareAndSet(this, false, true)) {
            throw new IllegalRefCountException("refCnt reached 0 a second time (decrement: " + decrement
                    + "): the object was already deallocated; is an UNSYNCHRONIZED count shared between threads?");
        }
        if (leak != null) {
            LeakDetector.untrack(leak);
        }
        deallocate();
    }

    @Override
    public RefCounted touch(Object hint) {
        if (leak != null) {
            leak.touch(hint);
        }
        return this;
    }

    /**
     * Tells whether {@link #deallocate()} has run (or is running).
     *
     * @return {@code true} once the object was freed
     */
    protected final boolean isFreed() {
        return (boolean) FREED.getVolatile(this);
    }

    /**
     * Throws unless the object is still alive: call it before touching what {@link #deallocate()} frees.
     *
     * @param operation what the caller was about to do, for the message
     * @throws IllegalRefCountException if the object was freed (use after free)
     */
    protected final void ensureAccessible(String operation) {
        if (isFreed()) {
            throw new IllegalRefCountException("refCnt: 0, " + operation + " after the object was freed");
        }
    }

    /** The per-object mutex of a {@link RefCountMode#PER_OBJECT_LOCK} object, for {@link PerObjectLocks}. */
    final ReentrantLock mutex() {
        return lockedCount("mutex").mutex();
    }

    /** A process-wide order among per-object mutexes: lower first. */
    final long lockOrder() {
        return lockedCount("lock order").order();
    }

    private LockedCount lockedCount(String what) {
        if (!(count instanceof LockedCount)) {
            throw new IllegalArgumentException("a " + what + " exists only in PER_OBJECT_LOCK mode, but this "
                    + getClass().getSimpleName() + " is in " + mode + " mode");
        }
        return (LockedCount) count;
    }

    private static void checkPositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive but was " + value);
        }
    }

    @Override
    public String toString() {
        // Logging and debuggers call it from any thread: it must not throw where refCnt() would (GIL, not held).
        return getClass().getSimpleName() + "[refCnt=" + (isFreed() ? 0 : count.peek()) + ", " + mode + "]";
    }
}
