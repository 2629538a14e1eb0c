package dev.gil.multiprocess.internal.channel;

import dev.gil.multiprocess.internal.Limits;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Frames} over two one-way byte streams, such as a child's stdin and a named pipe back to its parent: plain
 * blocking I/O, which a fresh JVM can do without the NIO selector provider, the AF_UNIX socket code and the secure
 * random generator it seeds (together a large part of a child's start). Same frame format and limits as
 * {@link FrameChannel}: a length that is negative or over the limit closes both streams with an error instead of
 * allocating it. To interrupt a receiver, close this (or give it a stream that is interruptible itself, as a stream
 * over a {@code FileChannel} is). A header is read a byte at a time: give it a buffered stream, unless it must not
 * read past the frame it receives.
 */
public final class PipeFrames implements Frames {
    private static final int HEADER = 5;

    private final DataInputStream in;
    private final OutputStream out;
    private final int maxFrameBytes;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();
    /** Guarded by {@code sendLock}. */
    private final byte[] header = new byte[HEADER];

    public PipeFrames(InputStream in, OutputStream out) {
        this(in, out, Limits.MAX_FRAME_BYTES);
    }

    public PipeFrames(InputStream in, OutputStream out, int maxFrameBytes) {
        this.in = new DataInputStream(in);
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void send(byte kind, byte[] payload, int offset, int length) throws IOException {
        checkLength(length);
        sendLock.lock();
        try {
            writeHeader(kind, length);
            out.write(payload, offset, length);
            out.flush();
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    public void sendAll(byte[] kinds, byte[][] payloads, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            checkLength(payloads[i].length);
        }
        sendLock.lock();
        try {
            for (int i = 0; i < count; i++) {
                writeHeader(kinds[i], payloads[i].length);
                out.write(payloads[i]);
            }
            out.flush();
        } finally {
            sendLock.unlock();
        }
    }

    /** Guarded by {@code sendLock}. */
    private void writeHeader(byte kind, int length) throws IOException {
        header[0] = (byte) (length >>> 24);
        header[1] = (byte) (length >>> 16);
        header[2] = (byte) (length >>> 8);
        header[3] = (byte) length;
        header[4] = kind;
        out.write(header, 0, HEADER);
    }

    private void checkLength(int length) throws IOException {
        Limits.checkFrameLength(length, maxFrameBytes);
    }

    @Override
    public FrameChannel.Frame receive() throws IOException {
        return receive(maxFrameBytes);
    }

    @Override
    public FrameChannel.Frame receive(int limit) throws IOException {
        receiveLock.lock();
        try {
            int first = in.read();
            if (first < 0) {
                throw new EOFException("the peer closed the connection");
            }
            int length;
            byte kind;
            try {
                length = first << 24 | in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8
                        | in.readUnsignedByte();
                kind = in.readByte();
            } catch (EOFException e) {
                throw new EOFException("the peer closed the connection in the middle of a frame header");
            }
            if (length < 0 || length > limit) {
                close();
                throw Limits.badFrameHeader(length, limit);
            }
            return new FrameChannel.Frame(kind, Payloads.read(length, Payloads.from(in)));
        } finally {
            receiveLock.unlock();
        }
    }

    /** Closes both directions; the peer then reads an end of stream. */
    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (IOException peerGone) {
            // the buffered bytes had nowhere to go; closing the input still matters
        } finally {
            in.close();
        }
    }
}
