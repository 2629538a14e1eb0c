package dev.gil.multiprocess.internal;

/** Limits set by system properties, read once. */
public final class Limits {
    /** System property: the largest frame accepted, in bytes (default 256 MiB). */
    public static final String MAX_FRAME_PROPERTY = "dev.gil.multiprocess.maxFrameBytes";
    /** The largest frame accepted, in bytes. */
    public static final int MAX_FRAME_BYTES = Integer.getInteger(MAX_FRAME_PROPERTY, 256 << 20);

    private Limits() {}
}
