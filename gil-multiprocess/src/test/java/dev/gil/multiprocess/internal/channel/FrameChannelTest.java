package dev.gil.multiprocess.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameChannelTest {

    /** Two connected ends of an AF_UNIX socket, each a FrameChannel. */
    private static FrameChannel[] pair(Path dir) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            return new FrameChannel[] {new FrameChannel(client), new FrameChannel(server.accept())};
        }
    }

    /**
     * Batches small and large: one gathering write below 64 KiB, the channel's direct buffer above it, with frames
     * that straddle its 256 KiB chunks; every frame arrives whole, in order, with its kind.
     */
    @Test
    void batchesOfEverySizeArriveFrameByFrameInOrder(@TempDir Path dir) throws Exception {
        FrameChannel[] ends = pair(dir);
        Random random = new Random(42);
        List<byte[][]> batches = new ArrayList<>();
        batches.add(payloads(random, 10, 100)); // 1 KiB: gathered
        batches.add(payloads(random, 3000, 100)); // 300 KB of small frames: through the chunk
        batches.add(new byte[][] {bytes(random, 7), bytes(random, 700_000), bytes(random, 0), bytes(random, 9)});
        batches.add(payloads(random, 1, 64 * 1024)); // exactly at the limit: gathered
        int chunk = 256 * 1024;
        batches.add(new byte[][] {bytes(random, chunk - 5 - 2), bytes(random, 10)}); // 2 bytes left: no room for a header
        batches.add(new byte[][] {bytes(random, chunk - 5), bytes(random, 70_000)}); // the chunk exactly full
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                for (byte[][] batch : batches) {
                    byte[] kinds = new byte[batch.length];
                    for (int i = 0; i < kinds.length; i++) {
                        kinds[i] = (byte) i;
                    }
                    ends[0].sendAll(kinds, batch, batch.length);
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(ends[0]); // so that the receiver fails now instead of waiting for frames that never come
                throw new IllegalStateException("the sender failed", e);
            }
        });
        try {
            for (byte[][] batch : batches) {
                for (int i = 0; i < batch.length; i++) {
                    FrameChannel.Frame frame = ends[1].receive();
                    assertThat(frame.kind()).isEqualTo((byte) i);
                    assertThat(frame.payload()).as("frame %d of %d", i, batch.length).isEqualTo(batch[i]);
                }
            }
        } catch (IOException receiving) {
            sending.exceptionally(failed -> {
                throw new AssertionError(failed.getCause());
            }).join();
            throw receiving;
        }
        sending.get(1, TimeUnit.MINUTES);
        ends[0].close();
        ends[1].close();
    }

    private static void closeQuietly(FrameChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private static byte[][] payloads(Random random, int count, int size) {
        byte[][] payloads = new byte[count][];
        for (int i = 0; i < count; i++) {
            payloads[i] = bytes(random, size);
        }
        return payloads;
    }

    private static byte[] bytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }
}
