package dev.gil.multiprocess.internal;

import java.io.IOException;
import java.io.NotSerializableException;

/** Limits set by system properties, read once. */
public final class Limits {
    /** System property: the largest frame accepted, in bytes (default 256 MiB). */
    public static final String MAX_FRAME_PROPERTY = "dev.gil.multiprocess.maxFrameBytes";
    /** The largest frame accepted, in bytes. */
    public static final int MAX_FRAME_BYTES = Integer.getInteger(MAX_FRAME_PROPERTY, 256 << 20);

    private Limits() {}

    /**
     * The options that give a child JVM our frame limit, when it was set here: both ends must agree, or a frame one
     * sends within its limit would close the other's channel.
     */
    public static java.util.List<String> sameAsOurs() {
        return System.getProperty(MAX_FRAME_PROPERTY) == null ? java.util.List.of()
                : java.util.List.of("-D" + MAX_FRAME_PROPERTY + "=" + MAX_FRAME_BYTES);
    }

    /**
     * Says that {@code what} does not fit in a frame: "{@code what} is N bytes serialized, over the frame limit of M
     * bytes (property)"; the caller adds what to do about it.
     */
    public static String overFrameLimit(String what, int bytes) {
        return what + " is " + bytes + " bytes serialized, over the frame limit of " + MAX_FRAME_BYTES + " bytes ("
                + MAX_FRAME_PROPERTY + ")";
    }

    /** Refuses to send a frame of {@code length} bytes over a channel that takes at most {@code max}. */
    public static void checkFrameLength(int length, int max) throws IOException {
        if (length > max) {
            throw new IOException("message of " + length + " bytes exceeds the frame limit of " + max + " bytes ("
                    + MAX_FRAME_PROPERTY + ")");
        }
    }

    /** The error for a received frame header announcing {@code length} bytes, outside {@code 0..limit}. */
    public static IOException badFrameHeader(int length, int limit) {
        return new IOException("received a frame header announcing " + length + " bytes, outside 0.." + limit + " ("
                + MAX_FRAME_PROPERTY + "): not a gil4j peer, or a corrupted stream; the connection is closed");
    }

    /** A value whose serialized form would not fit in a frame: it cannot be sent, though nothing in it is wrong. */
    public static final class FrameTooLargeException extends NotSerializableException {
        private static final long serialVersionUID = 1L;

        public FrameTooLargeException(String message) {
            super(message);
        }
    }
}
