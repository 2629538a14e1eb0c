package dev.gil.multiprocess.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendezvous token: a candidate that presents part of it is refused in bounded time, never waited for. Tokens
 * and private directories are fresh every time, and the directories are the owner's alone.
 */
@Timeout(60)
class PrivateSocketsTest {

    @Test
    void tokensAre128BitsOfHexAndNeverRepeat() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String token = PrivateSockets.newToken();
            assertThat(token).matches("[0-9a-f]{32}");
            assertThat(tokens.add(token)).as("token %s drawn twice", token).isTrue();
        }
    }

    @Test
    void withoutTheKernelsGeneratorTokensComeFromSecureRandom(@TempDir Path nowhere) {
        String missing = nowhere.resolve("no-urandom-here").toString();
        String first = PrivateSockets.randomHex(16, missing);
        String second = PrivateSockets.randomHex(16, missing);
        assertThat(first).matches("[0-9a-f]{32}").isNotEqualTo(second);
        assertThat(PrivateSockets.newToken()).as("a token from the default source, after a missing one was tried")
                .matches("[0-9a-f]{32}");
    }

    @Test
    void aPrivateDirectoryThatCannotBeMadeIsAnErrorNamingWhere(@TempDir Path parent) {
        Path missing = parent.resolve("gone");
        assertThatThrownBy(() -> PrivateSockets.newShortLivedSocketPath(missing, "control.fifo"))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(missing.toString())
                .hasCauseInstanceOf(NoSuchFileException.class);
    }

    @Test
    void privateDirectoriesAreFreshAndOnlyTheOwnersUnderTheTemporaryDirectory() throws Exception {
        Set<Path> directories = new HashSet<>();
        try {
            for (int i = 0; i < 200; i++) {
                Path socket = PrivateSockets.newShortLivedSocketPath("control.fifo");
                Path directory = socket.getParent();
                assertThat(directories.add(directory)).as("%s handed out twice", directory).isTrue();
                assertThat(socket.getFileName()).hasToString("control.fifo");
                assertThat(socket).doesNotExist();
                assertThat(directory.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
                assertThat(directory.getFileName().toString()).startsWith("gil4j-");
                assertThat(Files.getPosixFilePermissions(directory))
                        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            }
        } finally {
            for (Path directory : directories) {
                Files.deleteIfExists(directory);
            }
        }
    }

    @Test
    void aCandidateThatSendsPartOfTheTokenAndWaitsIsRefusedInBoundedTime() throws Exception {
        String token = PrivateSockets.newToken();
        Path socket = PrivateSockets.newShortLivedSocketPath("token-test");
        try (ServerSocketChannel listener = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
            try (SocketChannel stalling = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                    SocketChannel accepted = listener.accept()) {
                stalling.write(ByteBuffer.wrap(token.substring(0, 5).getBytes(StandardCharsets.US_ASCII)));
                assertThat(PrivateSockets.presentsToken(accepted, token, TimeUnit.MILLISECONDS.toNanos(200)))
                        .as("5 of %d bytes, then nothing", token.length()).isFalse();
            }
            try (SocketChannel honest = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                    SocketChannel accepted = listener.accept()) {
                PrivateSockets.presentToken(honest, token);
                assertThat(PrivateSockets.presentsToken(accepted, token)).isTrue();
                assertThat(accepted.isBlocking()).as("left as the caller had it").isTrue();
            }
        } finally {
            PrivateSockets.delete(socket);
        }
    }
}
