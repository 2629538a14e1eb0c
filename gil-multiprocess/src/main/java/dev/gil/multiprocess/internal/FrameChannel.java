package dev.gil.multiprocess.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Length-prefixed frames over a blocking socket: {@code [int length][byte kind][length bytes]}. Message boundaries are
 * kept, empty messages survive, and a length that is negative or over {@link Limits#MAX_FRAME_BYTES} closes the
 * channel with an error instead of allocating it. One thread may send while another receives.
 */
public final class FrameChannel implements AutoCloseable {
    private static final int HEADER = 5;

    private final SocketChannel channel;
    private final int maxFrameBytes;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final ByteBuffer sendHeader = ByteBuffer.allocateDirect(HEADER);
    /** Bytes read ahead of the frame being parsed. Guarded by {@code receiveLock}. */
    private final ByteBuffer readAhead = ByteBuffer.allocateDirect(64 * 1024).flip();

    public FrameChannel(SocketChannel channel) {
        this(channel, Limits.MAX_FRAME_BYTES);
    }

    public FrameChannel(SocketChannel channel, int maxFrameBytes) {
        this.channel = channel;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** A received frame. */
    public record Frame(byte kind, byte[] payload) {}

    public void send(byte kind, byte[] payload, int offset, int length) throws IOException {
        checkLength(length);
        sendLock.lock();
        try {
            sendHeader.clear();
            sendHeader.putInt(length).put(kind).flip();
            ByteBuffer body = ByteBuffer.wrap(payload, offset, length);
            ByteBuffer[] both = {sendHeader, body};
            while (sendHeader.hasRemaining() || body.hasRemaining()) {
                channel.write(both);
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends several frames with one gathering write, so a batch of small frames costs one system call.
     *
     * @param kinds the frames' kinds
     * @param payloads the frames' payloads, whole arrays
     * @param count how many of them to send
     */
    public void sendAll(byte[] kinds, byte[][] payloads, int count) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[2 * count];
        for (int i = 0; i < count; i++) {
            checkLength(payloads[i].length);
            buffers[2 * i] = ByteBuffer.allocate(HEADER).putInt(payloads[i].length).put(kinds[i]).flip();
            buffers[2 * i + 1] = ByteBuffer.wrap(payloads[i]);
        }
        sendLock.lock();
        try {
            int first = 0;
            while (first < buffers.length) {
                channel.write(buffers, first, buffers.length - first);
                while (first < buffers.length && !buffers[first].hasRemaining()) {
                    first++;
                }
            }
        } finally {
            sendLock.unlock();
        }
    }

    private void checkLength(int length) throws IOException {
        if (length > maxFrameBytes) {
            throw new IOException("message of " + length + " bytes exceeds the frame limit of " + maxFrameBytes
                    + " bytes (" + Limits.MAX_FRAME_PROPERTY + ")");
        }
    }

    /** Blocks for the next frame. {@link EOFException} if the peer closed at a frame boundary or in a frame. */
    public Frame receive() throws IOException {
        receiveLock.lock();
        try {
            fill(HEADER, true);
            int length = readAhead.getInt();
            byte kind = readAhead.get();
            if (length < 0 || length > maxFrameBytes) {
                close();
                throw new IOException("received a frame header announcing " + length + " bytes, outside 0.."
                        + maxFrameBytes + " (" + Limits.MAX_FRAME_PROPERTY + "): not a gil4j peer, or a corrupted "
                        + "stream; the connection is closed");
            }
            byte[] payload = new byte[length];
            int fromBuffer = Math.min(length, readAhead.remaining());
            readAhead.get(payload, 0, fromBuffer);
            ByteBuffer rest = ByteBuffer.wrap(payload, fromBuffer, length - fromBuffer);
            while (rest.hasRemaining()) {
                if (channel.read(rest) < 0) {
                    throw new EOFException("the peer closed the connection in the middle of a " + length
                            + "-byte frame");
                }
            }
            return new Frame(kind, payload);
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * Tells whether data is ready to read, waiting up to {@code timeout}; consumes nothing a later
     * {@link #receive()} would miss. {@code true} also at end of stream (a receive would then fail at once).
     */
    public boolean poll(Duration timeout) throws IOException {
        receiveLock.lock();
        try {
            if (readAhead.hasRemaining()) {
                return true;
            }
            readAhead.clear();
            try {
                channel.configureBlocking(false);
                int read = channel.read(readAhead);
                if (read == 0 && !timeout.isZero() && !timeout.isNegative()) {
                    try (Selector selector = Selector.open()) {
                        channel.register(selector, SelectionKey.OP_READ);
                        selector.select(Math.max(1, timeout.toMillis()));
                    }
                    read = channel.read(readAhead);
                }
                return read != 0;
            } finally {
                readAhead.flip();
                channel.configureBlocking(true);
            }
        } finally {
            receiveLock.unlock();
        }
    }

    /** Makes at least {@code needed} bytes available in {@code readAhead}. Guarded by {@code receiveLock}. */
    private void fill(int needed, boolean atFrameStart) throws IOException {
        while (readAhead.remaining() < needed) {
            boolean nothingYet = atFrameStart && !readAhead.hasRemaining();
            readAhead.compact();
            int read;
            try {
                read = channel.read(readAhead);
            } finally {
                readAhead.flip();
            }
            if (read < 0) {
                throw new EOFException(nothingYet ? "the peer closed the connection"
                        : "the peer closed the connection in the middle of a frame header");
            }
            if (Thread.interrupted()) {
                throw new InterruptedIOException("interrupted while receiving");
            }
        }
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
