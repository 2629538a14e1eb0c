package dev.gil.multiprocess;

import dev.gil.multiprocess.internal.channel.PrivateSockets;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the two ends of a {@link Pipe} that both left this process, when this process was already listening for one
 * of them: the right end moved first, so we bound the rendezvous socket on the left end's behalf (its process may
 * have connected and sent already, into our backlog), and then the left end moved too. A listening socket cannot
 * follow it to another process, so the left end's new home connects to a second socket of ours instead, and one daemon
 * thread here copies bytes both ways until both sides have closed. Nothing sent before the left end arrived is lost.
 *
 * <p>Both sides must present the pipe's token; a side that does not arrive within the rendezvous time closes the
 * other, which then reads an end of stream. Both sockets and their private directories are removed once the sides
 * met, or when the relay gives up.
 */
final class PipeRelay {
    /** SLF4J on first use: a program that never hears from us does not start its logging backend for us. */
    private static final class Log {
        static final Logger logger = LoggerFactory.getLogger(PipeRelay.class);
    }

    private static final long RENDEZVOUS_NANOS = TimeUnit.SECONDS.toNanos(60);

    private PipeRelay() {}

    /**
     * Starts relaying between whoever comes to {@code listening} (bound at {@code socket}) and the left end's new home.
     *
     * @return the socket the left end's new home must connect to
     */
    static Path start(ServerSocketChannel listening, Path socket, String token) throws IOException {
        Path second = PrivateSockets.newShortLivedSocketPath("relay.sock");
        ServerSocketChannel forLeft = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        forLeft.bind(UnixDomainSocketAddress.of(second));
        Thread relay = new Thread(() -> run(listening, socket, forLeft, second, token), "gil4j-pipe-relay");
        relay.setDaemon(true);
        relay.start();
        return second;
    }

    private static void run(ServerSocketChannel first, Path firstPath, ServerSocketChannel second, Path secondPath,
            String token) {
        SocketChannel[] sides = new SocketChannel[2];
        try {
            try {
                accept(new ServerSocketChannel[] {first, second}, sides, token);
            } finally {
                close(first);
                close(second);
                PrivateSockets.delete(firstPath);
                PrivateSockets.delete(secondPath);
            }
            if (sides[0] == null || sides[1] == null) {
                Log.logger.warn("a pipe end that moved to another process did not connect within {} s; its peer reads "
                        + "an end of stream", TimeUnit.NANOSECONDS.toSeconds(RENDEZVOUS_NANOS));
                return;
            }
            Thread back = new Thread(() -> copy(sides[1], sides[0]), "gil4j-pipe-relay-back");
            back.setDaemon(true);
            back.start();
            copy(sides[0], sides[1]);
            back.join();
        } catch (IOException e) {
            Log.logger.warn("a pipe relay failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(sides[0]);
            close(sides[1]);
        }
    }

    /** Accepts one side on each listener, each presenting the token, within the rendezvous time. */
    private static void accept(ServerSocketChannel[] listeners, SocketChannel[] sides, String token)
            throws IOException {
        long deadline = System.nanoTime() + RENDEZVOUS_NANOS;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < listeners.length; i++) {
                listeners[i].configureBlocking(false);
                listeners[i].register(selector, SelectionKey.OP_ACCEPT, i);
            }
            while ((sides[0] == null || sides[1] == null) && System.nanoTime() - deadline < 0) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    int index = (Integer) key.attachment();
                    SocketChannel candidate = listeners[index].accept();
                    if (candidate == null || sides[index] != null) {
                        close(candidate);
                        continue;
                    }
                    if (PrivateSockets.presentsToken(candidate, token)) {
                        sides[index] = candidate;
                    } else {
                        close(candidate); // not our peer
                    }
                }
                selector.selectedKeys().clear();
            }
        }
    }

    /** Copies until the end of {@code from}, then ends {@code to}'s output so its reader sees the end too. */
    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            close(to); // one side failed: the other must not wait for ever
            close(from);
        }
    }

    private static void close(java.io.Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // closing on the way out
            }
        }
    }
}
