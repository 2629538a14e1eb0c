package dev.gil.multiprocess;

import dev.gil.multiprocess.internal.channel.PrivateSockets;
import java.nio.file.Path;

/**
 * A pair of connected {@link Connection}s: Python's {@code multiprocessing.Pipe()}. Duplex by default; with
 * {@code Pipe.open(false)} the left end only receives and the right end only sends.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.open();
 * Connection parent = pipe.left(), child = pipe.right();
 * JvmProcess worker = new JvmProcess(() -> child.send("hello from the child"));
 * worker.start();
 * System.out.println(parent.recv());   // hello from the child
 * worker.join();
 * }</pre>
 *
 * <p>The ends talk over an AF_UNIX socket (what CPython's duplex {@code Pipe()} uses) in a directory only this user can
 * enter, and the connecting end must present a random token. Ends used in the same JVM are connected there; an end
 * captured by a {@link JvmProcess} target, or sent over another connection, moves to that process, provided it was
 * not used here first. Both ends may move to two different children, which then talk directly.
 */
public final class Pipe {
    private final Connection left;
    private final Connection right;

    private Pipe(boolean duplex) {
        Path socket = PrivateSockets.newSocketPath("pipe.sock");
        String token = PrivateSockets.newToken();
        Object pairLock = new Object();
        this.left = new Connection(socket, token, true, true, duplex, pairLock);
        this.right = new Connection(socket, token, false, duplex, true, pairLock);
        left.pairWith(right);
        right.pairWith(left);
    }

    /**
     * Opens a duplex pipe: both ends send and receive.
     *
     * @return the pipe
     */
    public static Pipe open() {
        return new Pipe(true);
    }

    /**
     * Opens a pipe.
     *
     * @param duplex {@code true} for two-way; {@code false} for one-way, the left end receiving and the right end
     *     sending
     * @return the pipe
     */
    public static Pipe open(boolean duplex) {
        return new Pipe(duplex);
    }

    /**
     * Returns the left end (the receiving end of a one-way pipe).
     *
     * @return the left end
     */
    public Connection left() {
        return left;
    }

    /**
     * Returns the right end (the sending end of a one-way pipe).
     *
     * @return the right end
     */
    public Connection right() {
        return right;
    }
}
