package dev.gil.multiprocess;

import java.io.IOException;

/**
 * {@link Connection#recvBytesInto(byte[], int)} received a message larger than the space left in the buffer: Python's
 * {@code BufferTooShort}. The message is not lost: it is in {@link #message()}.
 *
 * <pre>{@code
 * try {
 *     int n = connection.recvBytesInto(buffer, 0);
 * } catch (BufferTooShortException e) {
 *     handle(e.message());
 * }
 * }</pre>
 */
public class BufferTooShortException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The whole received message. */
    private final byte[] message;

    /**
     * Creates the exception.
     *
     * @param message the whole received message
     * @param room the space that was left in the buffer
     */
    public BufferTooShortException(byte[] message, int room) {
        super("received a message of " + message.length + " bytes, but the buffer has room for " + room);
        this.message = message;
    }

    /**
     * Returns the message that did not fit.
     *
     * @return the received bytes
     */
    public byte[] message() {
        return message.clone();
    }
}
