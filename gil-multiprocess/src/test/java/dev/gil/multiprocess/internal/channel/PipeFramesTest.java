package dev.gil.multiprocess.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.internal.Limits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipeFramesTest {
    /** What one side wrote, as the other side reads it. */
    private static PipeFrames reader(ByteArrayOutputStream written, int limit) {
        return new PipeFrames(new ByteArrayInputStream(written.toByteArray()), OutputStream.nullOutputStream(), limit);
    }

    @Test
    void framesKeepTheirBoundariesKindsAndEmptyPayloads() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        PipeFrames writer = new PipeFrames(InputStream.nullInputStream(), wire);
        byte[] big = new byte[3 * 64 * 1024 + 7]; // larger than the write buffer
        Arrays.fill(big, (byte) 42);
        writer.send((byte) 1, new byte[] {9, 8, 7, 6}, 1, 2);
        writer.send((byte) 2, new byte[0], 0, 0);
        writer.sendAll(new byte[] {3, 4}, new byte[][] {big, {5}}, 2);

        PipeFrames reader = reader(wire, Limits.MAX_FRAME_BYTES);
        FrameChannel.Frame first = reader.receive();
        assertThat(first.kind()).isEqualTo((byte) 1);
        assertThat(first.payload()).containsExactly(8, 7);
        assertThat(reader.receive().payload()).isEmpty();
        assertThat(reader.receive().payload()).isEqualTo(big);
        FrameChannel.Frame last = reader.receive();
        assertThat(last.kind()).isEqualTo((byte) 4);
        assertThat(last.payload()).containsExactly(5);
        assertThatThrownBy(reader::receive).isInstanceOf(EOFException.class)
                .hasMessage("the peer closed the connection");
    }

    @Test
    void aStreamThatEndsInsideAFrameSaysWhere() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        new PipeFrames(InputStream.nullInputStream(), wire).send((byte) 1, new byte[100], 0, 100);
        byte[] whole = wire.toByteArray();
        PipeFrames inHeader = new PipeFrames(new ByteArrayInputStream(whole, 0, 3), OutputStream.nullOutputStream());
        assertThatThrownBy(inHeader::receive).isInstanceOf(EOFException.class).hasMessageContaining("frame header");
        PipeFrames inBody = new PipeFrames(new ByteArrayInputStream(whole, 0, 50), OutputStream.nullOutputStream());
        assertThatThrownBy(inBody::receive).isInstanceOf(EOFException.class).hasMessageContaining("100-byte frame");
    }

    @Test
    void aLengthOutsideTheLimitClosesWithAClearErrorAndAllocatesNothing() throws Exception {
        byte[] negative = {(byte) 0x80, 0, 0, 0, 1};
        PipeFrames garbage = new PipeFrames(new ByteArrayInputStream(negative), OutputStream.nullOutputStream());
        assertThatThrownBy(garbage::receive).isInstanceOf(IOException.class)
                .hasMessageContaining("announcing -2147483648 bytes").hasMessageContaining("connection is closed");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        new PipeFrames(InputStream.nullInputStream(), wire).send((byte) 1, new byte[2000], 0, 2000);
        assertThatThrownBy(() -> reader(wire, Limits.MAX_FRAME_BYTES).receive(1024)).isInstanceOf(IOException.class)
                .hasMessageContaining("outside 0..1024");
        PipeFrames small = new PipeFrames(InputStream.nullInputStream(), new ByteArrayOutputStream(), 16);
        assertThatThrownBy(() -> small.send((byte) 1, new byte[17], 0, 17)).isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds the frame limit of 16 bytes");
    }

    @Test
    void oneThreadSendsWhileAnotherReceivesAcrossARealPipe() throws Exception {
        PipedInputStream aToB = new PipedInputStream(1024);
        PipedInputStream bToA = new PipedInputStream(1024);
        PipeFrames a = new PipeFrames(bToA, new PipedOutputStream(aToB));
        PipeFrames b = new PipeFrames(aToB, new PipedOutputStream(bToA));
        int rounds = 2_000;
        ExecutorService threads = Executors.newFixedThreadPool(2); // a thread each: both block on the other side
        CompletableFuture<Integer> echo = CompletableFuture.supplyAsync(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    FrameChannel.Frame frame = b.receive();
                    b.send(frame.kind(), frame.payload(), 0, frame.payload().length);
                }
                return rounds;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    byte[] payload = new byte[i % 3000];
                    Arrays.fill(payload, (byte) i);
                    a.send((byte) (i % 100), payload, 0, payload.length);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        for (int i = 0; i < rounds; i++) {
            FrameChannel.Frame back = a.receive();
            assertThat(back.kind()).isEqualTo((byte) (i % 100));
            assertThat(back.payload()).hasSize(i % 3000);
            if (back.payload().length > 0) {
                assertThat(back.payload()[back.payload().length - 1]).isEqualTo((byte) i);
            }
        }
        sender.get(30, TimeUnit.SECONDS);
        assertThat(echo.get(30, TimeUnit.SECONDS)).isEqualTo(rounds);
        threads.shutdown();
    }
}
