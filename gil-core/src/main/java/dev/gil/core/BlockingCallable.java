package dev.gil.core;

/**
 * Blocking work that returns a value, run by {@link GlobalInterpreterLock#allowThreads(BlockingCallable)} with the
 * lock released. Any exception it throws, checked or not, reaches the caller unchanged.
 *
 * <pre>{@code
 * int n = gil.allowThreads(() -> socket.getInputStream().read(buffer));   // throws IOException
 * }</pre>
 *
 * @param <T> the result type
 * @param <X> the exception the work may throw
 */
@FunctionalInterface
public interface BlockingCallable<T, X extends Throwable> {

    /**
     * Does the blocking work.
     *
     * @return the result
     * @throws X whatever the work throws
     */
    T call() throws X;
}
