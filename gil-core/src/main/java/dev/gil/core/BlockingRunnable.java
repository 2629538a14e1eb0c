package dev.gil.core;

/**
 * Blocking work without a result, run by {@link GlobalInterpreterLock#allowThreads(BlockingRunnable)} with the lock
 * released. Any exception it throws, checked or not, reaches the caller unchanged.
 *
 * <pre>{@code
 * gil.allowThreads(() -> Thread.sleep(50));   // time.sleep(0.05) releases the GIL too
 * }</pre>
 *
 * @param <X> the exception the work may throw
 */
@FunctionalInterface
public interface BlockingRunnable<X extends Throwable> {

    /**
     * Does the blocking work.
     *
     * @throws X whatever the work throws
     */
    void run() throws X;
}
