package dev.gil.refcount;

import dev.gil.core.GlobalInterpreterLock;

/**
 * How a {@link RefCounted} keeps its count thread-safe: the seed post's argument, as six options you can measure.
 *
 * <pre>{@code
 * Rc<ByteBuffer> shared = Rc.of(buffer, pool::recycle, RefCountMode.ATOMIC);
 * }</pre>
 *
 * <table>
 *   <caption>Modes</caption>
 *   <tr><th>mode</th><th>thread-safe?</th><th>cost of a change</th></tr>
 *   <tr><td>{@link #UNSYNCHRONIZED}</td><td>no: one thread, or a lock the caller holds</td><td>a plain read and
 *       write</td></tr>
 *   <tr><td>{@link #GIL}</td><td>yes, for callers holding the interpreter lock (checked)</td><td>a plain read and
 *       write, plus the lock the caller already holds</td></tr>
 *   <tr><td>{@link #PER_OBJECT_LOCK}</td><td>yes</td><td>a mutex lock and unlock per change; deadlock risk for code
 *       that holds two</td></tr>
 *   <tr><td>{@link #ATOMIC}</td><td>yes</td><td>one compare-and-set</td></tr>
 *   <tr><td>{@link #BIASED}</td><td>yes</td><td>plain on the creating thread, compare-and-set on others</td></tr>
 *   <tr><td>{@link #IMMORTAL}</td><td>yes</td><td>nothing: never changes, never freed</td></tr>
 * </table>
 */
public enum RefCountMode {
    /**
     * A plain field. Correct on one thread, or when every caller holds the same lock. From several threads without a
     * lock, updates are lost: the object leaks (the count never reaches zero) or is freed while still in use (it
     * reaches zero too early). That is the race the seed post describes.
     */
    UNSYNCHRONIZED,
    /**
     * A plain field, bound to a {@link GlobalInterpreterLock}: every caller must hold it, and a caller that does not
     * gets an {@link IllegalMonitorStateException}. CPython's choice: one lock for everything instead of a lock per
     * object. Objects built with just this mode use {@link #defaultInterpreterLock()}.
     */
    GIL,
    /**
     * A mutex per object: correct from any thread, at the price of a lock and unlock per change, and of deadlock when
     * code holds two objects' mutexes in opposite orders (see {@link PerObjectLocks}).
     */
    PER_OBJECT_LOCK,
    /** A compare-and-set loop on one field: lock-free and correct from any thread. */
    ATOMIC,
    /**
     * Biased reference counting (PEP 703, CPython's free-threaded build): the creating thread counts without atomic
     * instructions, other threads with compare-and-set, and the two counts merge when the creator's share reaches
     * zero or the creator dies. Fast when most changes happen on the creating thread. From other threads,
     * {@link RefCounted#refCnt()} is approximate until the counts merge, and a double release by another thread is
     * reported at the merge. When other threads release the creator's references (handed to them), the object is
     * freed when the creator next creates a {@code BIASED} object or releases one of its own to zero, as CPython's owner merges at its
     * next eval-breaker check, or at once if the creator has ended.
     */
    BIASED,
    /**
     * Never freed (PEP 683): the count reads as {@link Integer#MAX_VALUE}, retain and release change nothing, and
     * nothing is written, so shared objects cost no cache traffic.
     */
    IMMORTAL;

    /**
     * Returns the process-wide interpreter lock that {@link #GIL}-mode objects use unless given another one: one lock
     * for the whole "interpreter", as in CPython. Created on first use, with the default scheduler.
     *
     * @return the shared lock
     */
    public static GlobalInterpreterLock defaultInterpreterLock() {
        return DefaultLock.INSTANCE;
    }

    private static final class DefaultLock {
        static final GlobalInterpreterLock INSTANCE =
                GlobalInterpreterLock.builder().name("refcount-interpreter").build();
    }
}
