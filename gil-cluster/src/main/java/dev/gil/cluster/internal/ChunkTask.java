package dev.gil.cluster.internal;

import dev.gil.multiprocess.SerializableBiFunction;
import dev.gil.multiprocess.SerializableFunction;
import java.io.Serializable;
import java.util.concurrent.Callable;

/** Some consecutive inputs and the function to apply to each, run on whichever member the executor picks. */
public final class ChunkTask implements Callable<Object[]>, Serializable {
    private static final long serialVersionUID = 1L;

    /** A {@link SerializableFunction}, or a {@link SerializableBiFunction} applied to two-element arrays. */
    private final Serializable function;
    /** The inputs; each must be serializable, or sending the task fails and names it. */
    @SuppressWarnings("serial")
    private final Object[] arguments;

    public ChunkTask(Serializable function, Object[] arguments) {
        this.function = function;
        this.arguments = arguments;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object[] call() throws Exception {
        Object[] results = new Object[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            if (function instanceof SerializableBiFunction) {
                Object[] pair = (Object[]) arguments[i];
                results[i] = ((SerializableBiFunction<Object, Object, Object>) function).apply(pair[0], pair[1]);
            } else {
                results[i] = ((SerializableFunction<Object, Object>) function).apply(arguments[i]);
            }
        }
        return results;
    }

    public int size() {
        return arguments.length;
    }
}
