package dev.gil.multiprocess;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * Work with a result that can cross into a child JVM; the result must be serializable too.
 *
 * <pre>{@code
 * JvmProcess child = new JvmProcess(() -> fib(30));
 * child.start();
 * child.join();
 * long answer = (Long) child.result();
 * }</pre>
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SerializableCallable<T> extends Callable<T>, Serializable {

    /**
     * Does the work.
     *
     * @return the result, sent back to the parent
     * @throws Exception anything; it becomes the child's {@link JvmProcess#failure()} and exit code 1
     */
    @Override
    T call() throws Exception;
}
