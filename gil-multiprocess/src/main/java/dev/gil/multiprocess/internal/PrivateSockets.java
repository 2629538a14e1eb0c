package dev.gil.multiprocess.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * AF_UNIX socket paths no other user can reach: each in a fresh directory with mode 0700 under the temporary
 * directory; and random tokens, so another process of the same user cannot pose as the peer either.
 */
public final class PrivateSockets {
    private static final SecureRandom random = new SecureRandom();

    private PrivateSockets() {}

    public static Path newSocketPath(String name) {
        try {
            Path dir = Files.createTempDirectory("gil4j-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            dir.toFile().deleteOnExit();
            return dir.resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private directory for a socket under "
                    + System.getProperty("java.io.tmpdir"), e);
        }
    }

    public static String newToken() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Removes the socket file and its private directory, quietly. */
    public static void delete(Path socket) {
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        } catch (IOException ignored) {
            // a leftover empty directory is harmless; deleteOnExit tries again
        }
    }
}
