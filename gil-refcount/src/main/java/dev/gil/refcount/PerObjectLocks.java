package dev.gil.refcount;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Compound operations over two {@link RefCountMode#PER_OBJECT_LOCK} objects, without the deadlock the seed post warns
 * about: both mutexes are taken in one global order (each object's creation order), so thread 1 doing (A, B) and
 * thread 2 doing (B, A) cannot each hold one and wait for the other.
 *
 * <pre>{@code
 * // Move one reference from a to b, with nobody seeing both counts changed halfway.
 * PerObjectLocks.withBoth(a, b, () -> {
 *     b.retain();
 *     return a.release();
 * });
 * }</pre>
 */
public final class PerObjectLocks {
    private PerObjectLocks() {}

    /**
     * Runs {@code action} holding both objects' mutexes, taken in their global order.
     *
     * @param first one object
     * @param second the other (may be the same object)
     * @param action what to do under both locks
     * @param <T> the action's result type
     * @return what {@code action} returned
     * @throws IllegalArgumentException if an object is not in {@code PER_OBJECT_LOCK} mode
     */
    public static <T> T withBoth(AbstractRefCounted first, AbstractRefCounted second, Supplier<T> action) {
        Objects.requireNonNull(action, "action");
        boolean firstIsLower = Objects.requireNonNull(first, "first").lockOrder()
                <= Objects.requireNonNull(second, "second").lockOrder();
        ReentrantLock lower = (firstIsLower ? first : second).mutex();
        ReentrantLock higher = (firstIsLower ? second : first).mutex();
        lower.lock();
        try {
            higher.lock();
            try {
                return action.get();
            } finally {
                higher.unlock();
            }
        } finally {
            lower.unlock();
        }
    }
}
