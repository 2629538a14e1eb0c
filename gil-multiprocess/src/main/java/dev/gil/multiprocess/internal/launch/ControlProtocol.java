package dev.gil.multiprocess.internal.launch;

import dev.gil.multiprocess.internal.channel.FrameChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Frame kinds on the control channel between a parent and its child JVM.
 *
 * <pre>
 * parent                          child
 *   -- token on stdin ----------->  (the child then polls the parent's pid: it exits when the parent dies)
 *   <------------ HELLO(token) ---  on its FIFO (see ControlPipes), or the parent's private AF_UNIX socket
 *   -- TASK(target) ------------->  the target in CodeCodec's form (by reference or serialized); or TASK_WORKER
 *                                   (a pool worker's name and initializer, see WorkerLoop)
 *   <------------ RUNNING --------  the target was read and runs now
 *   <----- RESULT(value) or RESULT_PACKED (a SmallValues value) or FAILURE(exception)
 *   <------------ SIGNAL(15) -----  only when terminated: tells SIGTERM apart from System.exit(143)
 *   <------------ EXITING --------  from a shutdown hook: a JVM that exits says goodbye; one killed by SIGKILL cannot
 * </pre>
 */
public final class ControlProtocol {
    public static final byte TASK = 10;
    public static final byte TASK_WORKER = 12;
    public static final byte HELLO = 20;
    public static final byte RESULT = 21;
    public static final byte FAILURE = 22;
    public static final byte SIGNAL = 23;
    public static final byte EXITING = 24;
    public static final byte RESULT_PACKED = 25;
    public static final byte RUNNING = 26;

    /** Exit status of a child whose parent died: nobody reads it, but it is distinct. */
    public static final int PARENT_DIED = 70;

    private ControlProtocol() {}

    /** Whether {@code frame} is a child's HELLO presenting {@code token}; compared in constant time. */
    static boolean isHelloWith(FrameChannel.Frame frame, String token) {
        return frame.kind() == HELLO
                && MessageDigest.isEqual(frame.payload(), token.getBytes(StandardCharsets.US_ASCII));
    }
}
