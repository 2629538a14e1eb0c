package dev.gil.multiprocess;

import dev.gil.multiprocess.internal.channel.FrameChannel;
import dev.gil.multiprocess.internal.channel.PrivateSockets;
import dev.gil.multiprocess.internal.wire.ConnectionTransfers;
import dev.gil.multiprocess.internal.wire.WireCodec;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}. Messages keep their boundaries.
 * Ordinary values travel packed, as pickle packs them: {@code null}, boxed primitives, {@code String},
 * {@code byte[]}, and {@code Object[]}, {@code ArrayList}, {@code HashMap}, {@code LinkedHashMap}, {@code HashSet},
 * {@code LinkedHashSet} and {@code List.of}/{@code Set.of}/{@code Map.of} collections of them, arriving as equal
 * values of the same classes. Any other object (a record, an application's class, a graph that shares or cycles
 * through a collection) travels by Java serialization, checked on arrival by a deserialization filter; bytes as they
 * are.
 *
 * <pre>{@code
 * connection.send(List.of(1, 2, 3));
 * Object reply = connection.recv();
 * connection.sendBytes(data, 0, n);
 * byte[] raw = connection.recvBytes();
 * if (connection.poll(Duration.ofSeconds(1))) {   // a message came within a second
 *     handle(connection.recv());
 * }
 * }</pre>
 *
 * <p>Thread-safety: one thread may send while another receives; concurrent senders (or receivers) are serialized.
 * {@link #recv()} after the peer closed and every message was read throws {@link EOFException}. An end is established
 * on first use; until then it may move to another process (see {@link Pipe}). Closing is idempotent.
 */
public final class Connection implements Closeable, Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte OBJECT = 1;
    private static final byte BYTES = 2;
    /** An object packed by {@link WireCodec}; {@link #OBJECT} is one it serialized. */
    private static final byte PACKED = 3;
    private static final long RENDEZVOUS_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    static {
        ConnectionTransfers.register(new ConnectionTransfers.Access() {
            @Override
            public Object[] moveOut(Connection connection) throws ObjectStreamException {
                Transfer transfer = connection.moveOut();
                return new Object[] {transfer.socket, transfer.token, transfer.listens, transfer.readable,
                    transfer.writable};
            }

            @Override
            public Connection moveIn(Object[] transfer) throws ObjectStreamException {
                return new Transfer((String) transfer[0], (String) transfer[1], (Boolean) transfer[2],
                        (Boolean) transfer[3], (Boolean) transfer[4]).moveIn();
            }
        });
    }

    private final transient Path socket;
    private final transient String token;
    /** The left end listens on the socket path, the right end connects to it. */
    private final transient boolean listens;
    private final transient boolean readable;
    private final transient boolean writable;
    /** Shared by both ends while they are in the same JVM. */
    private final transient Object establishLock;
    /** The other end, while it is in this JVM. Guarded by {@code establishLock}. */
    private transient Connection peer;
    /** Guarded by {@code establishLock}. */
    private transient ServerSocketChannel listener;
    private transient volatile FrameChannel frames;
    private transient volatile boolean sentAway;
    private transient volatile boolean closed;

    Connection(Path socket, String token, boolean listens, boolean readable, boolean writable, Object establishLock) {
        this.socket = socket;
        this.token = token;
        this.listens = listens;
        this.readable = readable;
        this.writable = writable;
        this.establishLock = establishLock;
    }

    void pairWith(Connection other) {
        this.peer = other;
    }

    /**
     * Sends an object; it must be serializable, and arrives as a copy.
     *
     * @param message the object
     * @throws NotSerializableException if {@code message} (or something it refers to) is not serializable
     * @throws IOException if the connection failed
     * @throws IllegalStateException if this end is closed, was sent to another process, or only receives
     */
    public void send(Object message) throws IOException {
        checkWritable("send");
        WireCodec.Encoded encoded = WireCodec.encode(message);
        frames().send(encoded.packed() ? PACKED : OBJECT, encoded.bytes(), 0, encoded.bytes().length);
    }

    /**
     * Receives the next object, blocking until one arrives.
     *
     * @return the object
     * @throws EOFException if the peer closed and every message was read
     * @throws InvalidObjectException if the next message was sent with {@link #sendBytes(byte[])} (it is consumed)
     * @throws IOException if the connection failed, or the object was rejected by the deserialization filter
     * @throws IllegalStateException if this end is closed, was sent to another process, or only sends
     */
    public Object recv() throws IOException {
        checkReadable("recv");
        FrameChannel.Frame frame = frames().receive();
        if (frame.kind() == BYTES) {
            throw new InvalidObjectException("received a " + frame.payload().length + "-byte message sent with "
                    + "sendBytes(): receive it with recvBytes()");
        }
        if (frame.kind() != OBJECT && frame.kind() != PACKED) {
            throw new InvalidObjectException("received a message of unknown kind " + frame.kind() + " ("
                    + frame.payload().length + " bytes): the peer is not a gil4j Connection of this version");
        }
        return WireCodec.decode(frame.kind() == PACKED, frame.payload());
    }

    /**
     * Sends a whole byte array as one message.
     *
     * @param message the bytes
     * @throws IOException if the connection failed
     */
    public void sendBytes(byte[] message) throws IOException {
        sendBytes(message, 0, message.length);
    }

    /**
     * Sends {@code length} bytes of {@code buffer} from {@code offset} as one message.
     *
     * @param buffer the bytes
     * @param offset where the message starts
     * @param length how many bytes; zero sends an empty message
     * @throws IndexOutOfBoundsException if the slice is not inside {@code buffer}
     * @throws IOException if the connection failed
     */
    public void sendBytes(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        checkWritable("sendBytes");
        frames().send(BYTES, buffer, offset, length);
    }

    /**
     * Receives the next message as bytes (an object's message gives its serialized form).
     *
     * @return the message
     * @throws EOFException if the peer closed and every message was read
     * @throws IOException if the connection failed
     */
    public byte[] recvBytes() throws IOException {
        checkReadable("recvBytes");
        return frames().receive().payload();
    }

    /**
     * Receives the next message into {@code buffer} at {@code offset}.
     *
     * @param buffer where to put the message
     * @param offset where in {@code buffer}
     * @return the message's length
     * @throws BufferTooShortException if the message does not fit; it carries the message
     * @throws IndexOutOfBoundsException if {@code offset} is outside {@code buffer}
     * @throws IOException if the connection failed
     */
    public int recvBytesInto(byte[] buffer, int offset) throws IOException {
        Objects.checkIndex(offset, Objects.requireNonNull(buffer, "buffer").length + 1);
        byte[] message = recvBytes();
        int room = buffer.length - offset;
        if (message.length > room) {
            throw new BufferTooShortException(message, room);
        }
        System.arraycopy(message, 0, buffer, offset, message.length);
        return message.length;
    }

    /**
     * Tells whether a message (or the end of the stream) is ready, without waiting and without consuming anything.
     *
     * @return {@code true} if a receive would not block
     * @throws IOException if the connection failed
     */
    public boolean poll() throws IOException {
        return poll(Duration.ZERO);
    }

    /**
     * Waits up to {@code timeout} for a message (or the end of the stream); consumes nothing.
     *
     * @param timeout how long to wait; zero or negative does not wait
     * @return {@code true} if a receive would not block
     * @throws IOException if the connection failed
     */
    public boolean poll(Duration timeout) throws IOException {
        Objects.requireNonNull(timeout, "timeout");
        checkReadable("poll");
        return frames().poll(timeout);
    }

    /**
     * Tells whether this end was closed.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        FrameChannel established = frames;
        // An interrupt during a blocking send or receive closes the channel under us (ClosedByInterruptException).
        return closed || established != null && !established.isOpen();
    }

    /** Closes this end; the peer then reads the remaining messages and an end of stream. */
    @Override
    public void close() throws IOException {
        synchronized (establishLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (listener != null) {
                listener.close();
                PrivateSockets.delete(socket);
            }
        }
        FrameChannel established = frames;
        if (established != null) {
            established.close();
        }
    }

    @Override
    public String toString() {
        return "Connection[" + (listens ? "left" : "right") + (readable && writable ? ", duplex"
                : readable ? ", receives" : ", sends") + (closed ? ", closed" : sentAway ? ", sent away" : "") + "]";
    }

    private void checkReadable(String operation) {
        checkUsable(operation);
        if (!readable) {
            throw new IllegalStateException(operation + "() on the sending end of a one-way pipe: it only sends");
        }
    }

    private void checkWritable(String operation) {
        checkUsable(operation);
        if (!writable) {
            throw new IllegalStateException(operation + "() on the receiving end of a one-way pipe: it only "
                    + "receives");
        }
    }

    private void checkUsable(String operation) {
        if (closed) {
            throw new IllegalStateException(operation + "() on a closed connection");
        }
        if (isClosed()) {
            throw new IllegalStateException(operation + "() on a connection closed by the interrupt of a thread "
                    + "that was blocked in it");
        }
        if (sentAway) {
            throw new IllegalStateException(operation + "() on a connection that was sent to another process");
        }
    }

    private FrameChannel frames() throws IOException {
        FrameChannel established = frames;
        if (established != null) {
            return established;
        }
        synchronized (establishLock) {
            if (frames == null) {
                establish();
            }
            return frames;
        }
    }

    /** Guarded by {@code establishLock}. */
    private void establish() throws IOException {
        Connection other = peer;
        if (other != null && !other.sentAway && !other.closed) {
            // Both ends are in this JVM: connect them here.
            Connection listening = listens ? this : other;
            Connection connecting = listens ? other : this;
            listening.bind();
            SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            SocketChannel server = listening.listener.accept();
            listening.unbind();
            connecting.frames = new FrameChannel(client);
            listening.frames = new FrameChannel(server);
        } else if (listens) {
            bind();
            frames = new FrameChannel(acceptPeer());
            unbind();
        } else {
            frames = new FrameChannel(connectToPeer());
        }
    }

    /** Guarded by {@code establishLock}. */
    private void bind() throws IOException {
        if (listener == null) {
            listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listener.bind(UnixDomainSocketAddress.of(socket));
        }
    }

    private void unbind() throws IOException {
        listener.close();
        listener = null;
        PrivateSockets.delete(socket);
    }

    private SocketChannel acceptPeer() throws IOException {
        long deadline = System.nanoTime() + RENDEZVOUS_TIMEOUT_NANOS;
        listener.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            listener.register(selector, SelectionKey.OP_ACCEPT);
            while (System.nanoTime() - deadline < 0) {
                selector.select(100);
                SocketChannel candidate = listener.accept();
                if (candidate == null) {
                    continue;
                }
                candidate.configureBlocking(true);
                if (PrivateSockets.presentsToken(candidate, token)) {
                    return candidate;
                }
                candidate.close(); // not our peer
            }
        }
        throw new IOException("the other end of the pipe did not connect within "
                + TimeUnit.NANOSECONDS.toSeconds(RENDEZVOUS_TIMEOUT_NANOS) + " s");
    }


    private SocketChannel connectToPeer() throws IOException {
        long deadline = System.nanoTime() + RENDEZVOUS_TIMEOUT_NANOS;
        long backoffMillis = 1;
        for (;;) {
            try {
                SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                PrivateSockets.presentToken(channel, token);
                return channel;
            } catch (IOException notListeningYet) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("the other end of the pipe did not start listening within "
                            + TimeUnit.NANOSECONDS.toSeconds(RENDEZVOUS_TIMEOUT_NANOS) + " s", notListeningYet);
                }
                try {
                    Thread.sleep(backoffMillis); // the listening process is still starting
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while connecting to the other end of the pipe", e);
                }
                backoffMillis = Math.min(50, backoffMillis * 2);
            }
        }
    }

    /**
     * Moves this end to the process that deserializes it: what crosses is where to meet the peer and the token that
     * proves it; this end becomes unusable here.
     *
     * @return the transfer record
     * @throws ObjectStreamException if this end was already used here, closed, or sent elsewhere
     */
    private Object writeReplace() throws ObjectStreamException {
        return moveOut();
    }

    private Transfer moveOut() throws ObjectStreamException {
        synchronized (establishLock) {
            if (closed) {
                throw new NotSerializableException("a closed Connection cannot be sent to another process");
            }
            if (frames != null) {
                throw new NotSerializableException(this + " was already used in this process; an end can move to "
                        + "another process only before its first use");
            }
            if (sentAway) {
                throw new NotSerializableException(this + " was already sent to another process");
            }
            sentAway = true;
            if (listener != null) {
                // We listen here for a peer that moved away first, and it may have connected and sent already; a
                // listening socket cannot move to another process, so this process relays between the two.
                Path relayed;
                try {
                    relayed = PipeRelay.start(listener, socket, token);
                } catch (IOException e) {
                    throw new NotSerializableException("cannot relay for the moved end: " + e);
                }
                listener = null;
                return new Transfer(relayed.toString(), token, false, readable, writable);
            }
            Connection other = peer;
            if (other != null && !other.sentAway && other.listens) {
                try {
                    other.bind(); // so the receiving process can connect to us at once
                } catch (IOException e) {
                    throw new NotSerializableException("cannot listen for the moved end: " + e);
                }
            }
            return new Transfer(socket.toString(), token, listens, readable, writable);
        }
    }

    /** What crosses the process boundary for a {@link Connection}: where to meet the peer, and how to prove it. */
    private static final class Transfer implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String socket;
        private final String token;
        private final boolean listens;
        private final boolean readable;
        private final boolean writable;

        Transfer(String socket, String token, boolean listens, boolean readable, boolean writable) {
            this.socket = socket;
            this.token = token;
            this.listens = listens;
            this.readable = readable;
            this.writable = writable;
        }

        private Object readResolve() throws ObjectStreamException {
            return moveIn();
        }

        Connection moveIn() throws ObjectStreamException {
            Connection arrived = new Connection(Path.of(socket), token, listens, readable, writable, new Object());
            if (listens) {
                synchronized (arrived.establishLock) {
                    try {
                        arrived.bind(); // the peer may already be trying to connect
                        // Removed when its peer arrives; if it never does, when this JVM exits.
                        arrived.socket.getParent().toFile().deleteOnExit();
                        arrived.socket.toFile().deleteOnExit();
                    } catch (IOException e) {
                        InvalidObjectException failure = new InvalidObjectException("cannot listen on " + socket);
                        failure.initCause(e);
                        throw failure;
                    }
                }
            }
            return arrived;
        }
    }
}
