package dev.gil.multiprocess.internal.pool;

import dev.gil.multiprocess.internal.wire.CodeCodec;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Encodes a pool call's function once (by reference where it can go so, as pickle sends a function; see
 * {@link CodeCodec}) and gives equal functions one id, so that a worker reads each distinct function once. Keeps the
 * 1,024 used last: a map rather than Guava's cache, whose first use costs a script's fresh JVM tens of milliseconds
 * ({@code java.util.logging} comes with it). Thread-safe.
 */
public final class FunctionShipper {
    private static final AtomicInteger functionIds = new AtomicInteger();

    /** Guarded by itself. */
    private final Map<ByteBuffer, ShippedFunction> shipped = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, ShippedFunction> eldest) {
            return size() > 1024;
        }
    };

    /**
     * Encodes {@code fn} and finds the id workers may already know it by.
     *
     * @throws IllegalArgumentException if it cannot be sent, naming what is not serializable
     */
    public ShippedFunction ship(Object fn) {
        CodeCodec.Encoded encoded;
        try {
            encoded = CodeCodec.encode(fn);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("the function " + fn.getClass().getName() + " cannot be sent to a "
                    + "worker JVM: it is or captures something that is not serializable: " + e.getMessage(), e);
        }
        ByteBuffer key = ByteBuffer.allocate(1 + encoded.bytes().length).put(encoded.form()).put(encoded.bytes());
        synchronized (shipped) {
            return shipped.computeIfAbsent(key.flip(),
                    unknown -> ShippedFunction.of(functionIds.incrementAndGet(), encoded));
        }
    }
}
