package dev.gil.multiprocess;

import java.io.Serializable;

/**
 * A function that can cross into a child JVM, for process pools ({@code pool.map(fn, items)}).
 *
 * <pre>{@code
 * SerializableFunction<Integer, Integer> square = x -> x * x;
 * }</pre>
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Serializable {

    /**
     * Applies the function.
     *
     * @param argument the argument
     * @return the result
     * @throws Exception anything; the task fails with it
     */
    R apply(T argument) throws Exception;
}
