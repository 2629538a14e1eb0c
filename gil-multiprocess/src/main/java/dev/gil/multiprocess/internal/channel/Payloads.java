package dev.gil.multiprocess.internal.channel;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a frame's payload whose length the peer announced, allocating as the bytes arrive: at first
 * {@value #FIRST_CHUNK} bytes at most, then doubling, so memory stays within twice what was received (plus the first
 * chunk). A header that announces 256 MiB and sends nothing after it costs a megabyte, not 256.
 */
final class Payloads {
    /** The first allocation: a 1 MiB message, the common large one, is read with no copy. */
    static final int FIRST_CHUNK = 1 << 20;

    /** Where the bytes come from: like {@code InputStream.read}, -1 at the end of the stream. */
    @FunctionalInterface
    interface Source {
        int read(byte[] into, int offset, int length) throws IOException;
    }

    private Payloads() {}

    /**
     * {@code in} as a source. A class rather than {@code in::read}: the first lambda a fresh JVM links starts the
     * lambda machinery, milliseconds that a child's first frame (its task) would otherwise wait for.
     */
    static Source from(InputStream in) {
        return new StreamSource(in);
    }

    private static final class StreamSource implements Source {
        private final InputStream in;

        StreamSource(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            return in.read(into, offset, length);
        }
    }

    static byte[] read(int length, Source source) throws IOException {
        byte[] payload = new byte[Math.min(length, FIRST_CHUNK)];
        int filled = 0;
        while (filled < length) {
            if (filled == payload.length) {
                payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
            }
            int read = source.read(payload, filled, payload.length - filled);
            if (read < 0) {
                throw new EOFException("the peer closed the connection in the middle of a " + length
                        + "-byte frame");
            }
            filled += read;
        }
        return payload;
    }
}
