package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.internal.channel.FrameChannel;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipeTest {

    @Test
    void aDuplexPipeCarriesObjectsBothWaysKeepingBoundaries() throws Exception {
        Pipe pipe = Pipe.open();
        Connection left = pipe.left();
        Connection right = pipe.right();
        left.send(List.of(1, 2, 3));
        left.send("second");
        left.send(Map.of("k", 4.5));
        assertThat(right.recv()).isEqualTo(List.of(1, 2, 3));
        assertThat(right.recv()).isEqualTo("second");
        assertThat(right.recv()).isEqualTo(Map.of("k", 4.5));
        right.send(null);
        assertThat(left.recv()).isNull();
        left.close();
        right.close();
    }

    @Test
    void bytesKeepBoundariesEmptyMessagesSurviveAndSlicesAreChecked() throws Exception {
        Pipe pipe = Pipe.open();
        byte[] data = "0123456789".getBytes();
        pipe.left().sendBytes(data, 2, 3);
        pipe.left().sendBytes(new byte[0]);
        pipe.left().sendBytes(data);
        assertThat(pipe.right().recvBytes()).containsExactly('2', '3', '4');
        assertThat(pipe.right().recvBytes()).isEmpty();
        byte[] into = new byte[12];
        assertThat(pipe.right().recvBytesInto(into, 2)).isEqualTo(10);
        assertThat(Arrays.copyOfRange(into, 2, 12)).isEqualTo(data);
        assertThatThrownBy(() -> pipe.left().sendBytes(data, 8, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> pipe.left().sendBytes(data, -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        pipe.left().sendBytes(data);
        assertThatThrownBy(() -> pipe.right().recvBytesInto(new byte[4], 0))
                .isInstanceOf(BufferTooShortException.class).hasMessageContaining("10 bytes")
                .satisfies(e -> assertThat(((BufferTooShortException) e).message()).isEqualTo(data));
    }

    @Test
    void sixteenMebibytesArriveWhole() throws Exception {
        Pipe pipe = Pipe.open();
        byte[] big = new byte[16 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Thread sender = new Thread(() -> {
            try {
                pipe.left().sendBytes(big);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        sender.start();
        assertThat(pipe.right().recvBytes()).isEqualTo(big);
        sender.join();
    }

    /**
     * Payloads past 64 KiB go out through a 256 KiB direct buffer, a chunk at a time, and usually in several partial
     * writes each: every size on either side of both limits (the header shares the first chunk) arrives whole, sent
     * as a slice of a larger array, with an object after each so that frames stay apart.
     */
    @Test
    void bytesOfEverySizeAroundTheSendChunksArriveWholeAndInOrder() throws Exception {
        int kib = 1024;
        int[] sizes = {0, 1, 64 * kib - 1, 64 * kib, 64 * kib + 1, 256 * kib - 6, 256 * kib - 5, 256 * kib - 4,
            256 * kib, 256 * kib + 1, 512 * kib + 7, 1024 * kib + 3, 3 * 1024 * kib + 1};
        Random random = new Random(20261201);
        byte[] source = new byte[3 * 1024 * kib + 16];
        random.nextBytes(source);
        Pipe pipe = Pipe.open();
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < sizes.length; i++) {
                    pipe.left().sendBytes(source, i + 3, sizes[i]);
                    pipe.left().send(i);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        sender.start();
        for (int i = 0; i < sizes.length; i++) {
            byte[] expected = Arrays.copyOfRange(source, i + 3, i + 3 + sizes[i]);
            assertThat(pipe.right().recvBytes()).as("%d bytes", sizes[i]).isEqualTo(expected);
            assertThat(pipe.right().recv()).isEqualTo(i);
        }
        sender.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(sender.isAlive()).isFalse();
    }

    /**
     * One thread's send blocks on a full socket buffer (nobody reads the other end); another thread's poll on the same
     * end must still answer within its timeout. With a blocking socket it could not: switching to non-blocking mode for
     * the poll takes the channel's write lock, which the blocked send holds.
     */
    @Test
    void pollAnswersWithinItsTimeoutWhileAnotherThreadsSendIsBlocked() throws Exception {
        Pipe pipe = Pipe.open();
        Connection left = pipe.left();
        CountDownLatch sending = new CountDownLatch(1);
        Thread sender = new Thread(() -> {
            sending.countDown();
            try {
                left.sendBytes(new byte[64 << 20]); // far more than a socket buffer holds
            } catch (IOException closedAtTheEnd) {
                // the test closes the pipe
            }
        }, "blocked-sender");
        sender.setDaemon(true);
        sender.start();
        sending.await();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!pipe.right().poll(Duration.ofMillis(10))) { // the send has begun, and 64 MiB cannot all fit
            assertThat(System.nanoTime() - deadline).as("the send never began").isNegative();
        }
        long start = System.nanoTime();
        boolean[] ready = new boolean[1];
        Thread poller = new Thread(() -> {
            try {
                ready[0] = left.poll(Duration.ofMillis(100));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "poller");
        poller.start();
        poller.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(poller.isAlive()).as("poll(100 ms) still waiting after 30 s: it waits for the blocked send")
                .isFalse();
        assertThat(ready[0]).as("nothing was sent to the left end").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        pipe.right().close();
        left.close();
        sender.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(sender.isAlive()).isFalse();
    }

    @Test
    void recvAfterThePeerClosedAndTheDataDrainedIsEof() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.left().send("last words");
        pipe.left().close();
        assertThat(pipe.right().recv()).isEqualTo("last words");
        assertThatThrownBy(pipe.right()::recv).isInstanceOf(EOFException.class);
        assertThat(pipe.right().poll()).as("end of stream reads as ready").isTrue();
        assertThatThrownBy(() -> pipe.left().send("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void pollWaitsAndNeverConsumes() throws Exception {
        Pipe pipe = Pipe.open();
        assertThat(pipe.right().poll()).isFalse();
        assertThat(pipe.right().poll(Duration.ofMillis(20))).isFalse();
        pipe.left().send("here");
        assertThat(pipe.right().poll(Duration.ofSeconds(10))).isTrue();
        assertThat(pipe.right().poll()).isTrue();
        assertThat(pipe.right().recv()).isEqualTo("here");
        assertThat(pipe.right().poll()).isFalse();
    }

    @Test
    void aOneWayPipeRefusesTheWrongDirection() throws Exception {
        Pipe pipe = Pipe.open(false);
        assertThatThrownBy(() -> pipe.left().send("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only receives");
        assertThatThrownBy(pipe.right()::recv).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only sends");
        pipe.right().send("one way");
        assertThat(pipe.left().recv()).isEqualTo("one way");
    }

    @Test
    void objectsAndBytesAreToldApart() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.left().sendBytes(new byte[] {1, 2});
        assertThatThrownBy(pipe.right()::recv).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("recvBytes()");
        pipe.left().send("an object");
        assertThat(pipe.right().recvBytes()).as("its serialized form").isNotEmpty();
    }

    @Test
    void theDeserializationFilterRejectsJdkClassesOutsideTheAllowList() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.left().send(new ObjectName("dev.gil:type=Test"));
        assertThatThrownBy(pipe.right()::recv).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("javax.management.ObjectName").hasMessageContaining("filter");
        pipe.left().send(new java.util.ArrayList<>(List.of(java.time.Duration.ofSeconds(1))));
        assertThat(pipe.right().recv()).isEqualTo(List.of(java.time.Duration.ofSeconds(1)));
    }

    @Test
    void malformedAndTruncatedFramesGiveClearErrorsNotHangs(@TempDir Path dir) throws Exception {
        for (int length : new int[] {-1, Integer.MAX_VALUE}) {
            try (SocketPair pair = new SocketPair(dir.resolve("bad" + (length < 0 ? "neg" : "big") + ".sock"))) {
                pair.raw.write(ByteBuffer.allocate(5).putInt(length).put((byte) 2).flip());
                assertThatThrownBy(pair.frames::receive).isInstanceOf(IOException.class)
                        .hasMessageContaining("announcing " + length + " bytes");
                assertThat(pair.frames.isOpen()).isFalse();
            }
        }
        try (SocketPair pair = new SocketPair(dir.resolve("trunc.sock"))) {
            pair.raw.write(ByteBuffer.allocate(7).putInt(100).put((byte) 2).put((byte) 0).put((byte) 0).flip());
            pair.raw.close();
            assertThatThrownBy(pair.frames::receive).isInstanceOf(EOFException.class)
                    .hasMessageContaining("middle of a 100-byte frame");
        }
        try (SocketPair pair = new SocketPair(dir.resolve("header.sock"))) {
            pair.raw.write(ByteBuffer.allocate(2).put((byte) 0).put((byte) 0).flip());
            pair.raw.close();
            assertThatThrownBy(pair.frames::receive).isInstanceOf(EOFException.class)
                    .hasMessageContaining("frame header");
        }
    }

    /** A raw socket on one side, a frame channel on the other. */
    private static final class SocketPair implements AutoCloseable {
        final SocketChannel raw;
        final FrameChannel frames;

        SocketPair(Path path) throws IOException {
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(path));
                raw = SocketChannel.open(UnixDomainSocketAddress.of(path));
                frames = new FrameChannel(server.accept());
            }
            Files.deleteIfExists(path);
        }

        @Override
        public void close() throws IOException {
            raw.close();
            frames.close();
        }
    }

    @Test
    void aConnectionCapturedByATargetIsLiveInTheChild() throws Exception {
        Pipe pipe = Pipe.open();
        Connection childEnd = pipe.right();
        JvmProcess echo = new JvmProcess(() -> Targets.echo(childEnd));
        echo.start();
        Connection parent = pipe.left();
        for (int i = 0; i < 100; i++) {
            parent.send("ping " + i);
            assertThat(parent.recv()).isEqualTo("ping " + i);
        }
        byte[] big = new byte[1 << 20];
        parent.send(big);
        assertThat((byte[]) parent.recv()).hasSize(1 << 20);
        parent.close();
        echo.join();
        assertThat(echo.exitCode()).hasValue(0);
        assertThatThrownBy(() -> childEnd.send("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sent to another process");
    }

    @Test
    void twoChildrenTalkDirectlyOverBothEnds() throws Exception {
        Pipe pipe = Pipe.open();
        Connection first = pipe.left();
        Connection second = pipe.right();
        JvmProcess asker = new JvmProcess(() -> {
            first.send(21);
            return (Integer) first.recv();
        });
        JvmProcess doubler = new JvmProcess(() -> second.send(2 * (Integer) second.recv()));
        asker.start();
        doubler.start();
        asker.join();
        doubler.join();
        assertThat(asker.result()).isEqualTo(42);
        assertThat(doubler.exitCode()).hasValue(0);
    }

    @Test
    void anEndUsedHereCannotMoveToAChild() throws Exception {
        Pipe pipe = Pipe.open();
        Connection used = pipe.right();
        pipe.left().send("warm");
        assertThat(used.recv()).isEqualTo("warm");
        JvmProcess process = new JvmProcess(() -> used.send("from the child"));
        assertThatThrownBy(process::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already used in this process");
    }
}
