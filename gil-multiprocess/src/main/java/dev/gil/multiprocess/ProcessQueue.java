package dev.gil.multiprocess;

import dev.gil.multiprocess.internal.Timeouts;
import dev.gil.multiprocess.internal.channel.FrameChannel;
import dev.gil.multiprocess.internal.channel.PrivateSockets;
import dev.gil.multiprocess.internal.queue.QueueServer;
import dev.gil.multiprocess.internal.queue.QueueStore;
import dev.gil.multiprocess.internal.wire.WireCodec;
import java.io.Closeable;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;

/**
 * A FIFO queue shared by this process and any child JVMs it is handed to: Python's {@code multiprocessing.Queue}.
 * The process that creates it keeps the items; a queue captured by a {@link JvmProcess} target, a pool task, or sent
 * over a {@link Connection} arrives in the other process connected to it. Items travel as a {@link Connection}'s
 * messages do (ordinary values packed, other objects by Java serialization, filtered on arrival) and arrive as
 * copies; {@code null} is not an item.
 *
 * <pre>{@code
 * ProcessQueue<String> queue = ProcessQueue.create(100);         // q = Queue(maxsize=100)
 * JvmProcess producer = new JvmProcess(() -> queue.put("hello from " + ProcessHandle.current().pid()));
 * producer.start();
 * System.out.println(queue.get());                               // q.get()
 * producer.join();
 * }</pre>
 *
 * <p><b>No lost items.</b> Unlike CPython's queue, which buffers puts in a feeder thread (and loses them when the
 * process exits early), {@link #put} returns once the item is in the queue. An item taken by another process stays
 * reserved until that process has it; if it dies or is interrupted first, the item goes back to the head. A full queue
 * blocks {@code put}; an interrupted {@code put} did not add its item (unless the interrupt came in the instant
 * between the owner adding it and the answer arriving). Order is FIFO as the owner receives the items.
 *
 * <p><b>Closing.</b> {@link #close()} in the creating process closes the queue for everyone (waiting calls and later
 * ones throw {@link IllegalStateException}; items not taken are dropped); in another process it closes only that
 * process's connections. Thread-safe: in another process each concurrent call has a connection of its own, so a
 * blocked {@code get} does not hold up a {@code put} from another thread. A queue launches nothing, so it takes no
 * {@link ProcessContext}: the process that creates it serves it.
 *
 * @param <T> the item type
 */
public final class ProcessQueue<T> implements Closeable, Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte[] NOTHING = new byte[0];

    /** In the creating process: the items and the server. Null elsewhere. */
    private final transient QueueStore store;
    private final transient QueueServer server;
    /** Where the owner listens, and the token it expects. */
    private final transient Path socket;
    private final transient String token;
    /** Elsewhere: every open connection to the owner, one per concurrent call. Null in the owner. */
    private final transient Set<FrameChannel> connections;
    /** Elsewhere: the connections no call is using, for the next calls. */
    private final transient ConcurrentLinkedDeque<FrameChannel> idle;
    private transient volatile boolean closed;

    private ProcessQueue(int capacity) {
        this.store = new QueueStore(capacity);
        try {
            this.server = new QueueServer(store, "ProcessQueue");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the queue's socket", e);
        }
        this.socket = server.socket();
        this.token = server.token();
        this.connections = null;
        this.idle = null;
    }

    private ProcessQueue(Path socket, String token) {
        this.store = null;
        this.server = null;
        this.socket = socket;
        this.token = token;
        this.connections = ConcurrentHashMap.newKeySet();
        this.idle = new ConcurrentLinkedDeque<>();
    }

    /**
     * Creates an unbounded queue owned by this process.
     *
     * @param <T> the item type
     * @return the queue
     */
    public static <T> ProcessQueue<T> create() {
        return new ProcessQueue<>(Integer.MAX_VALUE);
    }

    /**
     * Creates a queue of at most {@code capacity} items owned by this process: {@code put} blocks while it is full.
     *
     * @param capacity at least 1
     * @param <T> the item type
     * @return the queue
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <T> ProcessQueue<T> create(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 but was " + capacity);
        }
        return new ProcessQueue<>(capacity);
    }

    /**
     * Adds an item, waiting while the queue is full.
     *
     * @param item the item, serializable
     * @throws IllegalArgumentException if the item is not serializable (the message names its type)
     * @throws InterruptedException if interrupted while waiting; the item was then not added
     * @throws IllegalStateException if the queue or this handle is closed, or its owner process is gone
     */
    public void put(T item) throws InterruptedException {
        offer(item, -1);
    }

    /**
     * Adds an item, waiting at most {@code timeout} for room.
     *
     * @param item the item, serializable
     * @param timeout how long to wait for room
     * @return {@code false} if the queue stayed full
     * @throws InterruptedException if interrupted while waiting; the item was then not added
     */
    public boolean offer(T item, Duration timeout) throws InterruptedException {
        return offer(item, Timeouts.nanos(timeout));
    }

    private boolean offer(T item, long timeoutNanos) throws InterruptedException {
        byte[] bytes = serialize(item);
        if (store != null) {
            checkOpen();
            return store.put(bytes, timeoutNanos, null);
        }
        byte[] request = new byte[8 + bytes.length];
        ByteBuffer.wrap(request).putLong(timeoutNanos).put(bytes);
        return request(QueueServer.PUT, request, false).kind() == QueueServer.OK;
    }

    /**
     * Removes and returns the head item, waiting until there is one.
     *
     * @return the item
     * @throws InterruptedException if interrupted while waiting; no item was taken
     * @throws IllegalStateException if the queue or this handle is closed, or its owner process is gone
     */
    public T get() throws InterruptedException {
        return take(-1);
    }

    /**
     * Removes and returns the head item, waiting at most {@code timeout}: Python's {@code get(timeout=...)}.
     *
     * @param timeout how long to wait
     * @return the item
     * @throws TimeoutException if the queue stayed empty (Python's {@code queue.Empty})
     * @throws InterruptedException if interrupted while waiting; no item was taken
     */
    public T get(Duration timeout) throws InterruptedException, TimeoutException {
        T item = take(Timeouts.nanos(timeout));
        if (item == null) {
            throw new TimeoutException("the queue stayed empty for " + timeout);
        }
        return item;
    }

    /**
     * Removes and returns the head item if there is one, without waiting.
     *
     * @return the item, or {@code null} if the queue is empty
     */
    public T poll() {
        try {
            return take(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private T take(long timeoutNanos) throws InterruptedException {
        if (store != null) {
            checkOpen();
            byte[] item = store.take(timeoutNanos, false, null);
            return item == null ? null : deserialize(item);
        }
        byte[] request = new byte[8];
        ByteBuffer.wrap(request).putLong(timeoutNanos);
        FrameChannel.Frame reply = request(QueueServer.GET, request, true);
        return reply.kind() == QueueServer.ITEM ? deserialize(reply.payload()) : null;
    }

    /**
     * Returns the number of items waiting, as the owner sees it now; only in the creating process.
     *
     * @return the number of items
     * @throws UnsupportedOperationException in another process (Python's {@code qsize()} is unreliable too)
     */
    public int size() {
        if (store == null) {
            throw new UnsupportedOperationException("size() is known only in the process that created the queue");
        }
        return store.size();
    }

    /**
     * Sends a request to the owner on a connection of its own and reads the reply; for an item, acknowledges it. Each
     * concurrent call has its own connection (the owner serves each on a thread), so a blocked {@code get} never holds
     * up a {@code put} from another thread of this process.
     */
    private FrameChannel.Frame request(byte kind, byte[] payload, boolean acknowledgeItem)
            throws InterruptedException {
        checkOpen();
        FrameChannel connection = null;
        try {
            connection = borrowConnection();
            connection.send(kind, payload, 0, payload.length);
            FrameChannel.Frame reply = connection.receive();
            if (reply.kind() == QueueServer.ITEM && acknowledgeItem) {
                connection.send(QueueServer.ACK, NOTHING, 0, 0);
            }
            if (reply.kind() == QueueServer.CLOSED) {
                discard(connection);
                throw new IllegalStateException("the queue was closed by the process that created it");
            }
            giveBack(connection);
            return reply;
        } catch (ClosedByInterruptException e) {
            discard(connection); // the owner returns a reserved item and drops a waiting put when it sees us go
            Thread.interrupted();
            throw new InterruptedException("interrupted while waiting on the queue");
        } catch (IOException e) {
            discard(connection);
            checkOpen();
            throw new IllegalStateException("the queue is gone: its owner process closed it or exited (" + e + ")",
                    e);
        }
    }

    private FrameChannel borrowConnection() throws IOException {
        FrameChannel connection = idle.poll();
        if (connection != null) {
            return connection;
        }
        SocketChannel connected = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        PrivateSockets.presentToken(connected, token);
        connection = new FrameChannel(connected);
        connections.add(connection);
        if (closed) {
            discard(connection);
            checkOpen();
        }
        return connection;
    }

    private void giveBack(FrameChannel connection) {
        if (closed) {
            discard(connection);
        } else {
            idle.push(connection);
        }
    }

    private void discard(FrameChannel connection) {
        if (connection != null) {
            connections.remove(connection);
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private byte[] serialize(T item) {
        Objects.requireNonNull(item, "item");
        try {
            return WireCodec.encodeTagged(item);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("an item of type " + item.getClass().getName() + " cannot be put on a "
                    + "process queue: it is or refers to something that is not serializable: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private T deserialize(byte[] bytes) {
        try {
            return (T) WireCodec.decodeTagged(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("an item taken from the queue could not be read here (it is consumed): "
                    + e, e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the queue handle is closed");
        }
    }

    /**
     * Tells whether this handle was closed.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /** In the creating process, closes the queue for every process; elsewhere, this process's connection. */
    @Override
    public void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
            } else {
                for (FrameChannel connection : List.copyOf(connections)) {
                    discard(connection); // a call waiting on it ends with IllegalStateException
                }
                idle.clear();
            }
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public String toString() {
        return "ProcessQueue[" + (store != null ? "owner, " + store.size() + " items" : "connected to its owner")
                + (closed ? ", closed" : "") + "]";
    }

    /**
     * Crosses to another process as where to meet the owner and the token that proves it.
     *
     * @return the transfer record
     * @throws ObjectStreamException if this handle is closed
     */
    private Object writeReplace() throws ObjectStreamException {
        if (closed) {
            throw new NotSerializableException("a closed ProcessQueue cannot be sent to another process");
        }
        return new Transfer(socket.toString(), token);
    }

    /** What crosses the process boundary for a {@link ProcessQueue}. */
    private static final class Transfer implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String socket;
        private final String token;

        Transfer(String socket, String token) {
            this.socket = socket;
            this.token = token;
        }

        private Object readResolve() throws ObjectStreamException {
            if (socket == null || token == null) {
                throw new InvalidObjectException("a ProcessQueue transfer without its socket or token");
            }
            return new ProcessQueue<>(Path.of(socket), token);
        }
    }
}
