package dev.gil.multiprocess.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Java serialization for what crosses between JVMs, with a deserialization filter on the way in.
 *
 * <p>The filter allows JDK value types ({@code java.lang}, {@code java.util}, {@code java.time}, {@code java.math},
 * {@code java.net.URI}, lambdas' {@code SerializedLambda}, {@code java.io} exceptions) and any class that is not the
 * JDK's (the application's own, from the shared class path); it rejects the rest of the JDK ({@code javax.*},
 * {@code sun.*}, {@code jdk.*}, other {@code java.*}), where deserialization gadgets live. It also bounds depth
 * (100), array length and references. A pattern in the system property {@value #FILTER_PROPERTY} (JDK filter
 * syntax, such as {@code "!com.example.Unsafe;com.example.**"}) is consulted first.
 */
public final class SerialCodec {
    /** System property with extra filter patterns, consulted before the defaults. */
    public static final String FILTER_PROPERTY = "dev.gil.multiprocess.serialFilter";

    private static final ObjectInputFilter USER_FILTER = userFilter();

    private SerialCodec() {}

    /**
     * Serializes {@code value}, refusing, as soon as it is known, an object whose form would exceed the frame limit:
     * no frame could carry it, and it is better refused before it fills memory.
     *
     * @throws NotSerializableException if something in the graph is not serializable, or the form grows over
     *     {@link Limits#MAX_FRAME_BYTES} (the message then says so)
     */
    public static byte[] serialize(Object value) throws NotSerializableException {
        ByteArrayOutputStream bytes = new BoundedBytes(Limits.MAX_FRAME_BYTES);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw asNotSerializable(e, e.toString());
        } catch (TooLarge e) {
            throw new Limits.FrameTooLargeException(e.getMessage());
        }
        return bytes.toByteArray();
    }

    /** {@code failure} itself if it is a {@link NotSerializableException}, else one with this message, caused by it. */
    static NotSerializableException asNotSerializable(IOException failure, String message) {
        if (failure instanceof NotSerializableException) {
            return (NotSerializableException) failure;
        }
        NotSerializableException wrapped = new NotSerializableException(message);
        wrapped.initCause(failure);
        return wrapped;
    }

    public static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        String[] rejected = new String[1];
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(desc.getName(), false, contextLoader());
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            long started = System.nanoTime();
            in.setObjectInputFilter(info -> {
                String overBudget = overBudget(info, bytes.length, started);
                ObjectInputFilter.Status status = overBudget != null ? ObjectInputFilter.Status.REJECTED : check(info);
                if (status == ObjectInputFilter.Status.REJECTED && rejected[0] == null) {
                    rejected[0] = overBudget != null ? overBudget : info.serialClass() != null
                            ? info.serialClass().getName()
                            : "a graph over the limits (depth " + info.depth() + ", references " + info.references()
                                    + ", array length " + info.arrayLength() + ")";
                }
                return status;
            });
            return in.readObject();
        } catch (InvalidClassException e) {
            if (rejected[0] != null) {
                InvalidClassException clear = rejected(rejected[0]);
                clear.initCause(e);
                throw clear;
            }
            throw e;
        }
    }

    /**
     * Limits that keep decoding proportional to the frame, whatever the peer claims: an array (an {@code ArrayList}'s
     * or a {@code HashMap}'s table included) may not have more elements than a few times the frame's bytes, since
     * each element takes at least one byte on the wire; and the whole decoding may not take longer than
     * {@link #DECODING_BUDGET_BASE_NANOS} plus {@link #DECODING_BUDGET_NANOS_PER_BYTE} per byte, which no honest graph
     * comes near on any machine, while a graph built to make hashing exponential (nested sets sharing references)
     * would run for ages. The filter is consulted at every object and back-reference, so such a graph is stopped
     * within about twice the budget.
     *
     * @return why the stream is refused, or {@code null}
     */
    private static String overBudget(ObjectInputFilter.FilterInfo info, int frameBytes, long started) {
        if (info.arrayLength() > 4L * frameBytes + 64) {
            return "an array of " + info.arrayLength() + " elements in a frame of " + frameBytes + " bytes (a "
                    + "length the sender claimed but did not send)";
        }
        long budget = DECODING_BUDGET_BASE_NANOS + DECODING_BUDGET_NANOS_PER_BYTE * frameBytes;
        if (System.nanoTime() - started > budget) {
            return "a graph whose decoding ran over its budget of " + budget / 1_000_000 + " ms for " + frameBytes
                    + " bytes (a graph built to make hashing exponential, such as nested sets sharing references)";
        }
        return null;
    }

    /** The decoding budget's fixed part: a fresh JVM's first decoding loads classes. */
    static final long DECODING_BUDGET_BASE_NANOS = 2_000_000_000L;
    /** The decoding budget per byte of the frame. */
    static final long DECODING_BUDGET_NANOS_PER_BYTE = 1_000;

    /** The loader classes are resolved with: the thread's context loader, else this library's. */
    static ClassLoader contextLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : SerialCodec.class.getClassLoader();
    }

    /**
     * Applies the filter {@link #deserialize} applies to the classes of a stream to a class that arrived another way.
     *
     * @throws InvalidClassException if the filter rejects it, with the same message as a rejected stream
     */
    static void checkAllowed(Class<?> type) throws InvalidClassException {
        if (check(new ClassOnly(type)) == ObjectInputFilter.Status.REJECTED) {
            throw rejected(type.getName());
        }
    }

    /** What a filter sees of a single class descriptor in a stream. */
    private record ClassOnly(Class<?> serialClass) implements ObjectInputFilter.FilterInfo {
        @Override
        public long arrayLength() {
            return -1;
        }

        @Override
        public long depth() {
            return 1;
        }

        @Override
        public long references() {
            return 1;
        }

        @Override
        public long streamBytes() {
            return 0;
        }
    }

    private static InvalidClassException rejected(String what) {
        return new InvalidClassException(what, "rejected by gil4j's deserialization filter; the system property "
                + FILTER_PROPERTY + " can allow it");
    }

    static ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
        if (USER_FILTER != null) {
            ObjectInputFilter.Status status = USER_FILTER.checkInput(info);
            if (status != ObjectInputFilter.Status.UNDECIDED) {
                return status;
            }
        }
        if (info.depth() > 100 || info.references() > 10_000_000 || info.arrayLength() > Limits.MAX_FRAME_BYTES) {
            return ObjectInputFilter.Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        if (type == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        return type.isPrimitive() || allowed(type.getName(), type) ? ObjectInputFilter.Status.ALLOWED
                : ObjectInputFilter.Status.REJECTED;
    }

    private static boolean allowed(String name, Class<?> type) {
        if (name.startsWith("java.lang.") || name.startsWith("java.util.") || name.startsWith("java.time.")
                || name.startsWith("java.math.") || name.equals("java.net.URI")) {
            return !name.startsWith("java.lang.reflect.") && !name.startsWith("java.lang.invoke.")
                    || name.equals("java.lang.invoke.SerializedLambda");
        }
        if (name.startsWith("java.io.")) {
            return Throwable.class.isAssignableFrom(type);
        }
        boolean jdk = name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun.") || name.startsWith("org.w3c.")
                || name.startsWith("org.xml.") || name.startsWith("org.ietf.");
        return !jdk;
    }

    private static ObjectInputFilter userFilter() {
        String pattern = System.getProperty(FILTER_PROPERTY);
        return pattern == null || pattern.isBlank() ? null : ObjectInputFilter.Config.createFilter(pattern);
    }

    /** Bytes that refuse to grow over a limit, so that a huge graph fails early and in bounded memory. */
    private static final class BoundedBytes extends ByteArrayOutputStream {
        private final int limit;

        BoundedBytes(int limit) {
            super(256);
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            ensureRoom(1);
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensureRoom(len);
            super.write(b, off, len);
        }

        private void ensureRoom(int more) {
            if ((long) count + more > limit) {
                throw new TooLarge("the serialized form is over the frame limit of " + limit + " bytes ("
                        + Limits.MAX_FRAME_PROPERTY + "): send large data in parts, or raise the limit");
            }
        }
    }

    /** Thrown from inside {@code ObjectOutputStream}, whose stream methods cannot throw it as an IOException. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }
}
