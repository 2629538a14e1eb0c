package dev.gil.multiprocess.internal.channel;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * AF_UNIX socket paths no other user can reach: each in a fresh directory with mode 0700 under the temporary
 * directory; and random tokens, so another process of the same user cannot pose as the peer either.
 */
public final class PrivateSockets {
    /** Where a token's bits come from: the kernel's generator, which {@code SecureRandom}'s default reads too. */
    private static final String KERNEL_RANDOM = "/dev/urandom";
    private static final int TOKEN_BYTES = 16;
    /** A private directory's random name: 64 bits, as the JDK's temporary names. */
    private static final int DIRECTORY_NAME_BYTES = 8;
    /** Names tried before giving up: a collision of 64-bit names means someone makes them on purpose. */
    private static final int DIRECTORY_ATTEMPTS = 16;
    /** Set once {@value #KERNEL_RANDOM} turned out missing or forbidden: tokens come from {@code SecureRandom}. */
    private static volatile boolean kernelRandomMissing;

    private PrivateSockets() {}

    /** A socket path in a fresh private directory that is also deleted when this JVM exits, if still there. */
    public static Path newSocketPath(String name) {
        Path socket = newShortLivedSocketPath(name);
        socket.getParent().toFile().deleteOnExit();
        return socket;
    }

    /**
     * A socket path in a fresh private directory, for a caller that {@link #delete deletes} it in a {@code finally}
     * block: registering it for deletion at exit would add an entry to the JDK's list for every child started.
     *
     * <p>The directory is made as {@code Files.createTempDirectory} makes one (a random name, created with mode 0700
     * or fails), with the random name drawn as {@link #newToken()} draws a token: the JDK's draws its name from a
     * {@code SecureRandom}, whose first use costs a fresh JVM's launch the same 20 ms.
     */
    public static Path newShortLivedSocketPath(String name) {
        return newShortLivedSocketPath(Path.of(System.getProperty("java.io.tmpdir")), name);
    }

    /** {@link #newShortLivedSocketPath(String)} under {@code temporary}. */
    static Path newShortLivedSocketPath(Path temporary, String name) {
        IOException failure = null;
        for (int attempt = 0; attempt < DIRECTORY_ATTEMPTS; attempt++) {
            try {
                return Files.createDirectory(temporary.resolve("gil4j-" + randomHex(DIRECTORY_NAME_BYTES)),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                        .resolve(name);
            } catch (FileAlreadyExistsException taken) {
                failure = taken; // another name
            } catch (IOException e) {
                failure = e;
                break;
            }
        }
        throw new UncheckedIOException("cannot create a private directory for a socket under " + temporary, failure);
    }

    /**
     * 128 random bits in hex. Read from {@value #KERNEL_RANDOM} directly where there is one: a fresh JVM's first
     * {@code SecureRandom} loads the security providers and seeds a digest-based generator, about 20 ms of CPU on
     * a launch's way while the child boots beside it; {@code SecureRandom} elsewhere.
     */
    public static String newToken() {
        return randomHex(TOKEN_BYTES);
    }

    private static String randomHex(int count) {
        return randomHex(count, KERNEL_RANDOM);
    }

    /** {@code count} random bytes in hex, read from {@code kernelRandom}, or from a {@code SecureRandom} without one. */
    static String randomHex(int count, String kernelRandom) {
        byte[] bytes = new byte[count];
        if (kernelRandomMissing || !read(kernelRandom, bytes)) {
            Fallback.random.nextBytes(bytes);
        }
        return HexFormat.of().formatHex(bytes);
    }

    private static boolean read(String kernelRandom, byte[] bytes) {
        try (FileInputStream in = new FileInputStream(kernelRandom)) {
            return in.readNBytes(bytes, 0, bytes.length) == bytes.length;
        } catch (FileNotFoundException | SecurityException missing) {
            if (kernelRandom.equals(KERNEL_RANDOM)) {
                kernelRandomMissing = true; // a fact about this machine: not looked for again
            }
            return false;
        } catch (IOException unreadable) {
            return false;
        }
    }

    /** Created on first use only: where the kernel's generator is readable, never. */
    private static final class Fallback {
        static final SecureRandom random = new SecureRandom();
    }

    /** Sends the token on a freshly connected channel: the first thing a connecting process says. */
    public static void presentToken(SocketChannel channel, String token) throws IOException {
        ByteBuffer presented = ByteBuffer.wrap(token.getBytes(StandardCharsets.US_ASCII));
        while (presented.hasRemaining()) {
            channel.write(presented);
        }
    }

    /**
     * Reads what a connecting process presents and tells whether it is {@code token}, in constant time, waiting at
     * most {@link #TOKEN_TIMEOUT_NANOS}: a candidate that sends less is refused, never waited for.
     */
    public static boolean presentsToken(SocketChannel candidate, String token) throws IOException {
        return presentsToken(candidate, token, TOKEN_TIMEOUT_NANOS);
    }

    /** How long a connected candidate has to present its token: a peer that sends part of it must not stall us. */
    static final long TOKEN_TIMEOUT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    /**
     * Reads the candidate's token, for at most {@code timeoutNanos}; {@code false} if it is wrong, incomplete when
     * the time runs out, or the candidate closes first. The channel is left in blocking mode.
     */
    static boolean presentsToken(SocketChannel candidate, String token, long timeoutNanos) throws IOException {
        ByteBuffer presented = ByteBuffer.allocate(token.length());
        long deadline = System.nanoTime() + timeoutNanos;
        candidate.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            candidate.register(selector, SelectionKey.OP_READ);
            while (presented.hasRemaining()) {
                if (candidate.read(presented) < 0) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (presented.hasRemaining()) {
                    if (left <= 0) {
                        return false; // too slow, or only part of a token: not our peer
                    }
                    selector.select(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left)));
                    selector.selectedKeys().clear();
                }
            }
        }
        candidate.configureBlocking(true); // the selector is closed, so the channel is registered with none
        return MessageDigest.isEqual(presented.array(), token.getBytes(StandardCharsets.US_ASCII));
    }

    /** Removes the socket file and its private directory, quietly. */
    public static void delete(Path socket) {
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        } catch (IOException ignored) {
            // a leftover empty directory in the temporary directory is harmless
        }
    }
}
