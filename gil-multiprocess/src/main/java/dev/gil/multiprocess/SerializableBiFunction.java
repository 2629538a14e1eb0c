package dev.gil.multiprocess;

import java.io.Serializable;

/**
 * A two-argument function that can cross into a child JVM, for {@link ProcessPool#starmap}: Python's
 * {@code pool.starmap(fn, [(a, b), ...])}.
 *
 * <pre>{@code
 * SerializableBiFunction<Integer, Integer, Integer> power = (base, exponent) -> (int) Math.pow(base, exponent);
 * }</pre>
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableBiFunction<A, B, R> extends Serializable {

    /**
     * Applies the function.
     *
     * @param first the first argument
     * @param second the second argument
     * @return the result
     * @throws Exception anything; the task fails with it
     */
    R apply(A first, B second) throws Exception;
}
