package dev.gil.refcount;

/**
 * A reference count was used wrongly: released more often than retained (double release, underflow), retained past
 * its maximum (overflow), or used after it reached zero and the object was freed.
 *
 * <p>The message gives the count and the change, as Netty's does: {@code "refCnt: 0, decrement: 1"}. When it is
 * thrown, nothing was changed: the object is not deallocated twice and not brought back to life.
 *
 * <pre>{@code
 * buffer.release();
 * buffer.release();   // IllegalRefCountException: refCnt: 0, decrement: 1
 * }</pre>
 */
public class IllegalRefCountException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for a failed change of the count.
     *
     * @param refCnt the count when the change was attempted
     * @param delta the attempted change: positive for retain, negative for release
     */
    public IllegalRefCountException(int refCnt, int delta) {
        super("refCnt: " + refCnt + ", " + (delta > 0 ? "increment: " + delta : "decrement: " + -delta));
    }

    /**
     * Creates the exception with a message of its own.
     *
     * @param message what went wrong, with the count
     */
    public IllegalRefCountException(String message) {
        super(message);
    }
}
