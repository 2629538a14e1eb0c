package dev.gil.multiprocess.internal.channel;

import java.io.EOFException;
import java.io.IOException;

/**
 * Length-prefixed frames both ways between two processes, {@code [int length][byte kind][length bytes]}: over a
 * socket ({@link FrameChannel}) or over a pair of pipes ({@link PipeFrames}). One thread may send while another
 * receives; concurrent senders (or receivers) take turns.
 */
public interface Frames extends AutoCloseable {
    /** Sends one frame of {@code payload[offset, offset + length)}. */
    void send(byte kind, byte[] payload, int offset, int length) throws IOException;

    /** Sends {@code count} frames, whole payloads, in as few system calls as the transport allows. */
    void sendAll(byte[] kinds, byte[][] payloads, int count) throws IOException;

    /** Blocks for the next frame. {@link EOFException} if the peer closed at a frame boundary or in a frame. */
    FrameChannel.Frame receive() throws IOException;

    /** {@link #receive()} of a frame of at most {@code limit} bytes, such as a handshake's. */
    FrameChannel.Frame receive(int limit) throws IOException;

    @Override
    void close() throws IOException;
}
