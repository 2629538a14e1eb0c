package dev.gil.refcount;

/**
 * An object that counts the references to it and frees itself when the count reaches zero: Netty's
 * {@code ReferenceCounted}, CPython's {@code ob_refcnt}.
 *
 * <p>A new object has a count of one, owned by its creator. Whoever keeps a reference calls {@link #retain()};
 * whoever drops one calls {@link #release()}. Misuse (releasing too often, retaining after the count reached zero,
 * overflow) throws {@link IllegalRefCountException} and never frees an object twice. Thread-safety depends on the
 * object's {@link RefCountMode}.
 *
 * <pre>{@code
 * RefCounted buffer = pool.allocate();   // refCnt() == 1
 * consumer.accept(buffer.retain());      // refCnt() == 2: the consumer releases its reference when done
 * buffer.release();                      // ours: refCnt() == 1, freed when the consumer releases
 * }</pre>
 */
public interface RefCounted {

    /**
     * Returns the current count; zero once the object was freed.
     *
     * @return the reference count
     */
    int refCnt();

    /**
     * Adds one reference.
     *
     * @return this object
     * @throws IllegalRefCountException if the object was already freed, or the count would overflow
     */
    RefCounted retain();

    /**
     * Adds {@code increment} references.
     *
     * @param increment a positive number of references
     * @return this object
     * @throws IllegalArgumentException if {@code increment} is not positive
     * @throws IllegalRefCountException if the object was already freed, or the count would overflow
     */
    RefCounted retain(int increment);

    /**
     * Drops one reference; frees the object when it was the last.
     *
     * @return {@code true} if this call freed the object
     * @throws IllegalRefCountException if the count is already zero (a double release)
     */
    boolean release();

    /**
     * Drops {@code decrement} references; frees the object when the count reaches zero.
     *
     * @param decrement a positive number of references
     * @return {@code true} if this call freed the object
     * @throws IllegalArgumentException if {@code decrement} is not positive
     * @throws IllegalRefCountException if the count is smaller than {@code decrement}
     */
    boolean release(int decrement);

    /**
     * Records where the object is now, for leak reports: with leak detection on, the report of an object that was
     * never released shows the last few hints and where they were recorded.
     *
     * @param hint what is happening to the object (its {@code toString()} goes into the report)
     * @return this object
     */
    RefCounted touch(Object hint);
}
