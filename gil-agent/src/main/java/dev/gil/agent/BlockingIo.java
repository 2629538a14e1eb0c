package dev.gil.agent;

import static dev.gil.agent.Blocking.released;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * {@link Blocking}'s helpers for I/O: stream and reader reads, {@code readLine}, socket {@code accept} and
 * {@code connect}, socket-channel reads, writes and connects, and {@code Selector.select}, each made with every lock the
 * current thread holds released, as CPython releases the GIL around {@code read(2)}, {@code accept(2)} and
 * {@code select(2)}. Public only because instrumented classes in any package must be able to call it; not for direct
 * use.
 */
public final class BlockingIo {
    private BlockingIo() {}

    /**
     * {@link InputStream#read()}.
     *
     * @param in the receiver
     * @return see there
     * @throws IOException see there
     */
    public static int read(InputStream in) throws IOException {
        return released(in::read);
    }

    /**
     * {@link InputStream#read(byte[])}.
     *
     * @param in the receiver
     * @param b see there
     * @return see there
     * @throws IOException see there
     */
    public static int read(InputStream in, byte[] b) throws IOException {
        return released(() -> in.read(b));
    }

    /**
     * {@link InputStream#read(byte[], int, int)}.
     *
     * @param in the receiver
     * @param b see there
     * @param off see there
     * @param len see there
     * @return see there
     * @throws IOException see there
     */
    public static int read(InputStream in, byte[] b, int off, int len) throws IOException {
        return released(() -> in.read(b, off, len));
    }

    /**
     * {@link InputStream#readNBytes(byte[], int, int)}.
     *
     * @param in the receiver
     * @param b see there
     * @param off see there
     * @param len see there
     * @return see there
     * @throws IOException see there
     */
    public static int readNBytes(InputStream in, byte[] b, int off, int len) throws IOException {
        return released(() -> in.readNBytes(b, off, len));
    }

    /**
     * {@link InputStream#readNBytes(int)}.
     *
     * @param in the receiver
     * @param len see there
     * @return see there
     * @throws IOException see there
     */
    public static byte[] readNBytes(InputStream in, int len) throws IOException {
        return released(() -> in.readNBytes(len));
    }

    /**
     * {@link InputStream#readAllBytes()}.
     *
     * @param in the receiver
     * @return see there
     * @throws IOException see there
     */
    public static byte[] readAllBytes(InputStream in) throws IOException {
        return released(in::readAllBytes);
    }

    /**
     * {@link Reader#read()}.
     *
     * @param in the receiver
     * @return see there
     * @throws IOException see there
     */
    public static int read(Reader in) throws IOException {
        return released(in::read);
    }

    /**
     * {@link Reader#read(char[])}.
     *
     * @param in the receiver
     * @param c see there
     * @return see there
     * @throws IOException see there
     */
    public static int read(Reader in, char[] c) throws IOException {
        return released(() -> in.read(c));
    }

    /**
     * {@link Reader#read(char[], int, int)}.
     *
     * @param in the receiver
     * @param c see there
     * @param off see there
     * @param len see there
     * @return see there
     * @throws IOException see there
     */
    public static int read(Reader in, char[] c, int off, int len) throws IOException {
        return released(() -> in.read(c, off, len));
    }

    /**
     * {@link BufferedReader#readLine()}.
     *
     * @param in the receiver
     * @return see there
     * @throws IOException see there
     */
    public static String readLine(BufferedReader in) throws IOException {
        return released(in::readLine);
    }

    /**
     * {@link ServerSocket#accept()}.
     *
     * @param server the receiver
     * @return see there
     * @throws IOException see there
     */
    public static Socket accept(ServerSocket server) throws IOException {
        return released(server::accept);
    }

    /**
     * {@link Socket#connect(SocketAddress)}.
     *
     * @param socket the receiver
     * @param address see there
     * @throws IOException see there
     */
    public static void connect(Socket socket, SocketAddress address) throws IOException {
        released(() -> { socket.connect(address); return null; });
    }

    /**
     * {@link Socket#connect(SocketAddress, int)}.
     *
     * @param socket the receiver
     * @param address see there
     * @param timeout see there
     * @throws IOException see there
     */
    public static void connect(Socket socket, SocketAddress address, int timeout) throws IOException {
        released(() -> { socket.connect(address, timeout); return null; });
    }

    /**
     * {@link SocketChannel#read(ByteBuffer)}.
     *
     * @param channel the receiver
     * @param buffer see there
     * @return see there
     * @throws IOException see there
     */
    public static int read(SocketChannel channel, ByteBuffer buffer) throws IOException {
        return released(() -> channel.read(buffer));
    }

    /**
     * {@link SocketChannel#write(ByteBuffer)}.
     *
     * @param channel the receiver
     * @param buffer see there
     * @return see there
     * @throws IOException see there
     */
    public static int write(SocketChannel channel, ByteBuffer buffer) throws IOException {
        return released(() -> channel.write(buffer));
    }

    /**
     * {@link SocketChannel#connect(SocketAddress)}.
     *
     * @param channel the receiver
     * @param address see there
     * @return see there
     * @throws IOException see there
     */
    public static boolean connect(SocketChannel channel, SocketAddress address) throws IOException {
        return released(() -> channel.connect(address));
    }

    /**
     * {@link ServerSocketChannel#accept()}.
     *
     * @param server the receiver
     * @return see there
     * @throws IOException see there
     */
    public static SocketChannel accept(ServerSocketChannel server) throws IOException {
        return released(server::accept);
    }

    /**
     * {@link Selector#select()}.
     *
     * @param selector the receiver
     * @return see there
     * @throws IOException see there
     */
    public static int select(Selector selector) throws IOException {
        return released(selector::select);
    }

    /**
     * {@link Selector#select(long)}.
     *
     * @param selector the receiver
     * @param timeout see there
     * @return see there
     * @throws IOException see there
     */
    public static int select(Selector selector, long timeout) throws IOException {
        return released(() -> selector.select(timeout));
    }
}
