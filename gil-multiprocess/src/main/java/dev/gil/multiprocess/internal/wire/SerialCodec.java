package dev.gil.multiprocess.internal.wire;

import dev.gil.multiprocess.internal.Limits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Java serialization for what crosses between JVMs, with an allow-list on the way in.
 *
 * <p>Every class named in the stream is checked against {@link AllowedClasses} by its name before it is loaded, and
 * again by the stream's filter, which also bounds depth (100), array length, references and decoding time. Dynamic
 * proxies are refused outright. A pattern in the system property {@value #FILTER_PROPERTY} (JDK filter syntax, such
 * as {@code "!com.example.Unsafe;com.example.**"}) is consulted first, limits ({@code maxdepth=}) included.
 */
public final class SerialCodec {
    /** System property with extra filter patterns, consulted before the defaults. */
    public static final String FILTER_PROPERTY = AllowedClasses.PATTERNS_PROPERTY;

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
                String element = elementClassName(desc.getName());
                if (element != null) {
                    try {
                        AllowedClasses.check(element); // a class missing here is a ClassNotFoundException
                    } catch (InvalidClassException refused) {
                        rejected[0] = element;
                        throw refused;
                    }
                }
                try {
                    return Class.forName(desc.getName(), false, AllowedClasses.contextLoader());
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }

            @Override
            protected Class<?> resolveProxyClass(String[] interfaces) throws InvalidClassException {
                rejected[0] = "a dynamic proxy of " + String.join(", ", interfaces);
                throw AllowedClasses.rejected(rejected[0]);
            }
        }) {
            in.setObjectInputFilter(new StreamFilter(bytes.length, rejected));
            return in.readObject();
        } catch (InvalidClassException e) {
            if (rejected[0] != null) {
                InvalidClassException clear = AllowedClasses.rejected(rejected[0]);
                clear.initCause(e);
                throw clear;
            }
            throw e;
        } catch (RuntimeException damaged) {
            // ObjectInputStream lets some damage out as unchecked exceptions (unread block data, a negative array
            // size, a missing descriptor); a readObject that throws one is reported the same way, with it as cause.
            throw (InvalidObjectException) new InvalidObjectException("a serialized object of " + bytes.length
                    + " bytes that could not be read: " + damaged).initCause(damaged);
        }
    }

    /**
     * The filter of one stream: the allow-list and the limits, and the first reason for a refusal. A class, not a
     * lambda: a fresh child would link an invokedynamic for a lambda on its first object.
     */
    private static final class StreamFilter implements ObjectInputFilter {
        private final int frameBytes;
        private final String[] rejected;
        private final long started = System.nanoTime();

        StreamFilter(int frameBytes, String[] rejected) {
            this.frameBytes = frameBytes;
            this.rejected = rejected;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            String overBudget = overBudget(info, frameBytes, started);
            Status status = overBudget != null ? Status.REJECTED : check(info);
            if (status == Status.REJECTED && rejected[0] == null) {
                rejected[0] = overBudget != null ? overBudget : info.serialClass() != null
                        ? info.serialClass().getName()
                        : "a graph over the limits (depth " + info.depth() + ", references " + info.references()
                                + ", array length " + info.arrayLength() + ")";
            }
            return status;
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

    /**
     * Applies the filter {@link #deserialize} applies to the classes of a stream to a class that arrived another way.
     *
     * @throws InvalidClassException if the filter rejects it, with the same message as a rejected stream
     */
    static void checkAllowed(Class<?> type) throws InvalidClassException {
        if (check(new ClassOnly(type)) == ObjectInputFilter.Status.REJECTED) {
            throw AllowedClasses.rejected(type.getName());
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

    /** The class an array descriptor's elements are of, a class's own name, or {@code null} for primitives. */
    private static String elementClassName(String name) {
        int dimensions = 0;
        while (dimensions < name.length() && name.charAt(dimensions) == '[') {
            dimensions++;
        }
        if (dimensions == 0) {
            return name;
        }
        return name.charAt(dimensions) == 'L' && name.endsWith(";") ? name.substring(dimensions + 1,
                name.length() - 1) : null;
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
        return type.isPrimitive() || AllowedClasses.allowed(type) ? ObjectInputFilter.Status.ALLOWED
                : ObjectInputFilter.Status.REJECTED;
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
