package dev.gil.multiprocess.internal.channel;

import dev.gil.multiprocess.internal.Limits;
import dev.gil.multiprocess.internal.Timeouts;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Length-prefixed frames over a socket: {@code [int length][byte kind][length bytes]}. Message boundaries are kept,
 * empty messages survive, and a length that is negative or over {@link Limits#MAX_FRAME_BYTES} closes the channel with
 * an error instead of allocating it. One thread may send while another receives.
 *
 * <p>The socket is non-blocking underneath, and a thread that must wait does so in a selector of its own direction.
 * A blocking socket would do for {@link #send} and {@link #receive}, but not for {@link #poll}: switching a channel's
 * mode takes its write lock as well, so a poll would wait for a send blocked on a full buffer, forever if the peer is
 * itself waiting for us to read. Waiting behaves as blocking I/O would: an interrupt closes the channel
 * ({@link ClosedByInterruptException}), and so does {@link #close()} from another thread
 * ({@link AsynchronousCloseException}).
 */
public final class FrameChannel implements Frames {
    private static final int HEADER = 5;
    /**
     * Payloads up to this size go out with their header in one gathering write. Past it, the JDK's own copy would cost
     * more than the system call saved: a write of a heap buffer copies all of its remaining bytes into a temporary
     * direct buffer, whatever the socket then takes, so a payload that goes out in several partial writes (an
     * AF_UNIX socket takes about 208 KiB at a time here) is copied over and over: about 3 MiB for a 1 MiB message.
     */
    private static final int GATHERED_LIMIT = 64 * 1024;
    /** The size of {@link #sendChunk}: a socket buffer's worth or more, so that a chunk takes few writes. */
    private static final int CHUNK = 256 * 1024;

    private final SocketChannel channel;
    private final int maxFrameBytes;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final ByteBuffer sendHeader = ByteBuffer.allocateDirect(HEADER);
    /**
     * Where frames past {@link #GATHERED_LIMIT} are copied on their way out, a chunk at a time. Guarded by
     * {@code sendLock}; created on first need.
     */
    private ByteBuffer sendChunk;
    /** Where a receiver waits for data. Guarded by {@code receiveLock}; created on first need. */
    private Selector readSelector;
    /** Where a sender waits for room. Guarded by {@code sendLock}; created on first need. */
    private Selector writeSelector;
    /** Every selector opened, for {@link #close()}, which may run on any thread. */
    private final Queue<Selector> selectors = new ConcurrentLinkedQueue<>();
    /** Bytes read ahead of the frame being parsed. Guarded by {@code receiveLock}. */
    private final ByteBuffer readAhead = ByteBuffer.allocateDirect(64 * 1024).flip();

    public FrameChannel(SocketChannel channel) {
        this(channel, Limits.MAX_FRAME_BYTES);
    }

    public FrameChannel(SocketChannel channel, int maxFrameBytes) {
        this.channel = channel;
        this.maxFrameBytes = maxFrameBytes;
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the channel " + channel, e);
        }
    }

    /** A received frame. */
    public record Frame(byte kind, byte[] payload) {}

    public void send(byte kind, byte[] payload, int offset, int length) throws IOException {
        checkLength(length);
        sendLock.lock();
        try {
            sendLocked(kind, payload, offset, length);
        } finally {
            sendLock.unlock();
        }
    }

    /** One frame. Guarded by {@code sendLock}. */
    private void sendLocked(byte kind, byte[] payload, int offset, int length) throws IOException {
        sendHeader.clear();
        sendHeader.putInt(length).put(kind).flip();
        if (length <= GATHERED_LIMIT) {
            ByteBuffer body = ByteBuffer.wrap(payload, offset, length);
            ByteBuffer[] both = {sendHeader, body};
            while (sendHeader.hasRemaining() || body.hasRemaining()) {
                if (channel.write(both) == 0) {
                    await(writeSelector());
                }
            }
        } else {
            ByteBuffer chunk = emptyChunk();
            appendFrame(chunk, kind, payload, offset, length);
            flush(chunk);
        }
    }

    /** {@link #sendChunk}, empty. Guarded by {@code sendLock}. */
    private ByteBuffer emptyChunk() {
        if (sendChunk == null) {
            sendChunk = ByteBuffer.allocateDirect(CHUNK);
        }
        return sendChunk.clear();
    }

    /**
     * Copies a frame into the chunk once, writing the chunk out whenever it fills; what is left in it is written by
     * the next {@link #flush}. Guarded by {@code sendLock}.
     */
    private void appendFrame(ByteBuffer chunk, byte kind, byte[] payload, int offset, int length) throws IOException {
        if (chunk.remaining() < HEADER) {
            flush(chunk);
        }
        chunk.putInt(length).put(kind);
        int copied = 0;
        while (copied < length) {
            if (!chunk.hasRemaining()) {
                flush(chunk);
            }
            int next = Math.min(chunk.remaining(), length - copied);
            chunk.put(payload, offset + copied, next);
            copied += next;
        }
    }

    /** Writes out what the chunk holds and empties it. Guarded by {@code sendLock}. */
    private void flush(ByteBuffer chunk) throws IOException {
        chunk.flip();
        writeAll(chunk);
        chunk.clear();
    }

    /** Writes all of a direct buffer, waiting for room as a blocking channel would. Guarded by {@code sendLock}. */
    private void writeAll(ByteBuffer direct) throws IOException {
        while (direct.hasRemaining()) {
            if (channel.write(direct) == 0) {
                await(writeSelector());
            }
        }
    }

    /**
     * Sends several frames with one gathering write, so a batch of small frames costs one system call; a batch past
     * {@link #GATHERED_LIMIT} is copied once into the channel's direct buffer and written as it fills.
     *
     * @param kinds the frames' kinds
     * @param payloads the frames' payloads, whole arrays
     * @param count how many of them to send
     */
    public void sendAll(byte[] kinds, byte[][] payloads, int count) throws IOException {
        long total = 0;
        for (int i = 0; i < count; i++) {
            checkLength(payloads[i].length);
            total += payloads[i].length;
        }
        if (total > GATHERED_LIMIT) {
            sendLock.lock();
            try {
                ByteBuffer chunk = emptyChunk();
                for (int i = 0; i < count; i++) {
                    appendFrame(chunk, kinds[i], payloads[i], 0, payloads[i].length);
                }
                flush(chunk);
            } finally {
                sendLock.unlock();
            }
            return;
        }
        ByteBuffer[] buffers = new ByteBuffer[2 * count];
        for (int i = 0; i < count; i++) {
            buffers[2 * i] = ByteBuffer.allocate(HEADER).putInt(payloads[i].length).put(kinds[i]).flip();
            buffers[2 * i + 1] = ByteBuffer.wrap(payloads[i]);
        }
        sendLock.lock();
        try {
            int first = 0;
            while (first < buffers.length) {
                if (channel.write(buffers, first, buffers.length - first) == 0) {
                    await(writeSelector());
                }
                while (first < buffers.length && !buffers[first].hasRemaining()) {
                    first++;
                }
            }
        } finally {
            sendLock.unlock();
        }
    }

    private void checkLength(int length) throws IOException {
        Limits.checkFrameLength(length, maxFrameBytes);
    }

    /** Blocks for the next frame. {@link EOFException} if the peer closed at a frame boundary or in a frame. */
    public Frame receive() throws IOException {
        return receive(maxFrameBytes);
    }

    /** {@link #receive()} of a frame of at most {@code limit} bytes, such as a handshake's. */
    public Frame receive(int limit) throws IOException {
        receiveLock.lock();
        try {
            fill(HEADER, true);
            int length = readAhead.getInt();
            byte kind = readAhead.get();
            if (length < 0 || length > limit) {
                close();
                throw Limits.badFrameHeader(length, limit);
            }
            return new Frame(kind, Payloads.read(length, (into, offset, count) -> {
                if (readAhead.hasRemaining()) { // what the header's read brought along first
                    int fromBuffer = Math.min(count, readAhead.remaining());
                    readAhead.get(into, offset, fromBuffer);
                    return fromBuffer;
                }
                return read(ByteBuffer.wrap(into, offset, count));
            }));
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
                int read = channel.read(readAhead);
                if (read == 0 && !timeout.isZero() && !timeout.isNegative()) {
                    Selector selector = readSelector();
                    try {
                        selector.select(Math.max(1, Timeouts.millis(timeout)));
                        selector.selectedKeys().clear();
                    } catch (ClosedSelectorException closed) {
                        throw new AsynchronousCloseException();
                    }
                    read = channel.read(readAhead);
                }
                return read != 0;
            } finally {
                readAhead.flip();
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
                read = read(readAhead);
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

    /** Reads at least one byte, waiting for it if need be; -1 at end of stream. Guarded by {@code receiveLock}. */
    private int read(ByteBuffer into) throws IOException {
        for (;;) {
            int read = channel.read(into);
            if (read != 0) {
                return read;
            }
            await(readSelector());
        }
    }

    /** Waits until the selector's direction is ready, as a blocking channel would, interrupts and closes included. */
    private void await(Selector selector) throws IOException {
        try {
            selector.select();
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException closed) {
            throw new AsynchronousCloseException();
        }
        if (!channel.isOpen()) {
            throw new AsynchronousCloseException();
        }
        if (Thread.currentThread().isInterrupted()) {
            close();
            throw new ClosedByInterruptException();
        }
    }

    /** Guarded by {@code receiveLock}. */
    private Selector readSelector() throws IOException {
        if (readSelector == null) {
            readSelector = openSelector(SelectionKey.OP_READ);
        }
        return readSelector;
    }

    /** Guarded by {@code sendLock}. */
    private Selector writeSelector() throws IOException {
        if (writeSelector == null) {
            writeSelector = openSelector(SelectionKey.OP_WRITE);
        }
        return writeSelector;
    }

    /** A selector for one direction, closed with the channel even if {@link #close()} ran while it was opened. */
    private Selector openSelector(int operation) throws IOException {
        Selector selector = Selector.open();
        try {
            channel.register(selector, operation);
        } catch (ClosedChannelException closed) {
            selector.close();
            throw new AsynchronousCloseException();
        } catch (RuntimeException e) {
            selector.close();
            throw e;
        }
        selectors.add(selector);
        if (!channel.isOpen()) {
            selector.close();
            throw new AsynchronousCloseException();
        }
        return selector;
    }

    @Override
    public void close() throws IOException {
        channel.close();
        for (Selector selector : selectors) {
            selector.close(); // wakes a thread waiting in it
        }
    }
}
