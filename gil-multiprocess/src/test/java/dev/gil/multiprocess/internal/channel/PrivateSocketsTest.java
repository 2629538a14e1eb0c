package dev.gil.multiprocess.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rendezvous token: a candidate that presents part of it is refused in bounded time, never waited for. */
@Timeout(60)
class PrivateSocketsTest {

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
