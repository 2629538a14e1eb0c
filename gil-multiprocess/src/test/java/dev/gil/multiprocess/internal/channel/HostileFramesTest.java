package dev.gil.multiprocess.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.internal.Limits;
import dev.gil.multiprocess.internal.wire.SerialCodec;
import dev.gil.multiprocess.internal.wire.ValueCodec;
import java.io.EOFException;
import java.io.InvalidClassException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small frames built to hurt the receiver: each is refused with an exception that says why, with work and memory in
 * proportion to the bytes that came, never to what they claim.
 */
@Timeout(60)
class HostileFramesTest {

    /** Nested sets that share references: hashing them on arrival doubles with every level. */
    private static Set<Object> hashingBomb(int levels) {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < levels; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("foo"); // t1 and t2 differ, so both stay in their parents
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }

    @Test
    void aGraphBuiltToMakeHashingExponentialIsStopped() throws Exception {
        byte[] bomb = SerialCodec.serialize(hashingBomb(60));
        assertThat(bomb.length).as("a small frame").isLessThan(4_000);
        assertThatThrownBy(() -> SerialCodec.deserialize(bomb)).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("ran over its budget");
    }

    @Test
    void anArrayLengthTheFrameDoesNotCarryIsRefusedBeforeAllocation() throws Exception {
        byte[] honest = SerialCodec.serialize(new long[] {42});
        ByteBuffer.wrap(honest).putInt(honest.length - 12, 1 << 28); // claims 2 GiB of longs; sends 8 bytes
        assertThatThrownBy(() -> SerialCodec.deserialize(honest)).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("an array of 268435456 elements");

        List<Object> list = new ArrayList<>(List.of("x"));
        byte[] claimed = SerialCodec.serialize(list);
        int size = indexOfInt(claimed, 1); // ArrayList's size field, the first int 1 in its form
        ByteBuffer.wrap(claimed).putInt(size, 1 << 28);
        assertThatThrownBy(() -> SerialCodec.deserialize(claimed)).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("elements in a frame of");
    }

    @Test
    void aStringLengthTheFrameDoesNotCarryIsRefusedBeforeAllocation() throws Exception {
        byte[] packed = ValueCodec.encode(new Object[] {"x"}, 0); // kind, count 1, length 1, 'x'
        ByteBuffer.wrap(packed).putInt(5, 1 << 30);
        assertThatThrownBy(() -> ValueCodec.decode(ByteBuffer.wrap(packed)))
                .isInstanceOf(java.io.InvalidObjectException.class).hasMessageContaining("a string of 1073741824 bytes");
    }

    private static int indexOfInt(byte[] bytes, int value) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (buffer.getInt(i) == value) {
                return i;
            }
        }
        throw new AssertionError("no int " + value);
    }

    @Test
    void aHeaderAnnouncing256MiBWithNothingAfterItCostsAtMostAChunk(@TempDir Path dir) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
            try (SocketChannel hostile = SocketChannel.open(server.getLocalAddress());
                    FrameChannel receiver = new FrameChannel(server.accept())) {
                ByteBuffer header = ByteBuffer.allocate(5).putInt(Limits.MAX_FRAME_BYTES).put((byte) 1).flip();
                hostile.write(header);
                hostile.close();
                com.sun.management.ThreadMXBean threads =
                        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long before = threads.getCurrentThreadAllocatedBytes();
                assertThatThrownBy(receiver::receive).isInstanceOf(EOFException.class)
                        .hasMessageContaining("in the middle of a " + Limits.MAX_FRAME_BYTES + "-byte frame");
                assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated to receive it")
                        .isLessThan(4L << 20);
            }
        }
    }
}
