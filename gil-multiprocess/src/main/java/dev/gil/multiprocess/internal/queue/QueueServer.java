package dev.gil.multiprocess.internal.queue;

import dev.gil.multiprocess.internal.channel.FrameChannel;
import dev.gil.multiprocess.internal.channel.PrivateSockets;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves a {@link QueueStore} to other processes over a private AF_UNIX socket: one thread per connected process,
 * each request answered in turn. A connecting process first presents the queue's random token.
 *
 * <pre>
 * other process                               owner
 *   -- PUT [long timeout nanos][item] -->        <-- OK | FULL
 *   -- GET [long timeout nanos] -->              <-- ITEM [item] | EMPTY
 *   -- ACK (after ITEM) -->                      the item is gone for good (without it, it returns to the head)
 * every reply may instead be CLOSED: the queue was closed
 * </pre>
 */
public final class QueueServer implements AutoCloseable {
    public static final byte PUT = 1;
    public static final byte GET = 2;
    public static final byte ACK = 3;
    public static final byte OK = 10;
    public static final byte ITEM = 11;
    public static final byte EMPTY = 12;
    public static final byte FULL = 13;
    public static final byte CLOSED = 14;

    private final QueueStore store;
    private final Path socket;
    private final String token;
    private final ServerSocketChannel listener;
    private final Set<FrameChannel> clients = ConcurrentHashMap.newKeySet();

    public QueueServer(QueueStore store, String name) throws IOException {
        this.store = store;
        this.socket = PrivateSockets.newSocketPath("queue.sock");
        this.token = PrivateSockets.newToken();
        this.listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(this::acceptLoop, name + "-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public Path socket() {
        return socket;
    }

    public String token() {
        return token;
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            SocketChannel candidate;
            try {
                candidate = listener.accept();
            } catch (IOException closed) {
                return;
            }
            Thread handler = new Thread(() -> serve(candidate), "gil4j-queue-client");
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void serve(SocketChannel connection) {
        try {
            if (!PrivateSockets.presentsToken(connection, token)) { // a blocking read, before frames take over
                connection.close();
                return;
            }
        } catch (IOException gone) {
            return;
        }
        FrameChannel channel = new FrameChannel(connection);
        try (channel) {
            clients.add(channel);
            for (;;) {
                FrameChannel.Frame request = channel.receive();
                ByteBuffer in = ByteBuffer.wrap(request.payload());
                switch (request.kind()) {
                    case PUT -> put(channel, in);
                    case GET -> get(channel, in.getLong());
                    default -> throw new IOException("unexpected request kind " + request.kind());
                }
            }
        } catch (IOException | InterruptedException gone) {
            // the other process closed its end, went away, or the queue closed
        } finally {
            clients.remove(channel);
        }
    }

    private void put(FrameChannel channel, ByteBuffer in) throws IOException, InterruptedException {
        long timeout = in.getLong();
        byte[] item = new byte[in.remaining()];
        in.get(item);
        byte reply;
        try {
            reply = store.put(item, timeout, () -> gone(channel)) ? OK : FULL;
        } catch (IllegalStateException closed) {
            reply = CLOSED;
        }
        channel.send(reply, new byte[0], 0, 0);
    }

    private void get(FrameChannel channel, long timeout) throws IOException, InterruptedException {
        byte[] item;
        try {
            item = store.take(timeout, true, () -> gone(channel));
        } catch (IllegalStateException closed) {
            channel.send(CLOSED, new byte[0], 0, 0);
            return;
        }
        if (item == null) {
            channel.send(EMPTY, new byte[0], 0, 0);
            return;
        }
        boolean delivered = false;
        try {
            channel.send(ITEM, item, 0, item.length);
            delivered = channel.receive().kind() == ACK;
        } finally {
            if (delivered) {
                store.acknowledge();
            } else {
                store.giveBack(item);
            }
        }
    }

    /** While a request waits, the other process sends nothing; anything readable means it closed or died. */
    private static boolean gone(FrameChannel channel) {
        try {
            return channel.poll(Duration.ZERO);
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        store.close();
        listener.close();
        PrivateSockets.delete(socket);
        for (FrameChannel client : clients) {
            client.close();
        }
    }
}
