package dev.gil.refcount;

import dev.gil.core.GlobalInterpreterLock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A reference-counted handle over any value: Rust's {@code Rc}/{@code Arc}, with the thread-safety of the chosen
 * {@link RefCountMode}. When the count reaches zero, the deallocator runs once with the value; after that,
 * {@link #get()} throws.
 *
 * <pre>{@code
 * try (Rc<Buffer> rc = Rc.of(buffer, Buffer::free, RefCountMode.ATOMIC)) {
 *     worker.submit(rc.retain());       // the worker closes its reference when done
 *     rc.get().fill(0);
 * }                                     // ours is closed here; the buffer is freed after the worker's
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class Rc<T> extends AbstractRefCounted implements AutoCloseable {
    private final T value;
    private final Consumer<? super T> deallocator;

    private Rc(RefCountMode mode, T value, Consumer<? super T> deallocator) {
        super(mode);
        this.value = value;
        this.deallocator = deallocator;
    }

    private Rc(GlobalInterpreterLock gil, T value, Consumer<? super T> deallocator) {
        super(gil);
        this.value = value;
        this.deallocator = deallocator;
    }

    /**
     * Creates a handle with a count of one.
     *
     * @param value the value to share
     * @param deallocator what to do with the value when the count reaches zero
     * @param mode how the count is kept thread-safe
     * @param <T> the value's type
     * @return the handle
     */
    public static <T> Rc<T> of(T value, Consumer<? super T> deallocator, RefCountMode mode) {
        return new Rc<>(Objects.requireNonNull(mode, "mode"), Objects.requireNonNull(value, "value"),
                Objects.requireNonNull(deallocator, "deallocator"));
    }

    /**
     * Creates a {@link RefCountMode#GIL GIL-mode} handle bound to {@code gil}.
     *
     * @param value the value to share
     * @param deallocator what to do with the value when the count reaches zero
     * @param gil the lock every caller of the counting methods must hold
     * @param <T> the value's type
     * @return the handle
     */
    public static <T> Rc<T> of(T value, Consumer<? super T> deallocator, GlobalInterpreterLock gil) {
        return new Rc<>(Objects.requireNonNull(gil, "gil"), Objects.requireNonNull(value, "value"),
                Objects.requireNonNull(deallocator, "deallocator"));
    }

    /**
     * Returns the value.
     *
     * @return the value
     * @throws IllegalRefCountException if the count reached zero (use after free)
     */
    public T get() {
        ensureAccessible("get()");
        return value;
    }

    @Override
    public Rc<T> retain() {
        super.retain();
        return this;
    }

    @Override
    public Rc<T> retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public Rc<T> touch(Object hint) {
        super.touch(hint);
        return this;
    }

    /**
     * Releases one reference: {@code close()} is {@code release()}, for try-with-resources.
     *
     * @throws IllegalRefCountException if the count is already zero
     */
    @Override
    public void close() {
        release();
    }

    @Override
    protected void deallocate() {
        deallocator.accept(value);
    }
}
