package dev.gil.multiprocess.internal.child;

import dev.gil.multiprocess.SerializableBiFunction;
import dev.gil.multiprocess.SerializableFunction;
import dev.gil.multiprocess.SerializableRunnable;
import dev.gil.multiprocess.internal.Limits;
import dev.gil.multiprocess.internal.channel.FrameChannel;
import dev.gil.multiprocess.internal.channel.Frames;
import dev.gil.multiprocess.internal.pool.PoolProtocol;
import dev.gil.multiprocess.internal.wire.CodeCodec;
import dev.gil.multiprocess.internal.wire.SmallValues;
import dev.gil.multiprocess.internal.wire.ValueCodec;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pool worker's life in its child JVM: run the initializer, say READY, then apply functions to chunks until told
 * to stop (see {@link PoolProtocol}). A task's exception fails that task only; the worker carries on, except after a
 * {@link VirtualMachineError} (out of memory, say), when it reports the failure and exits so the pool replaces it
 * with a fresh JVM.
 */
public final class WorkerLoop {
    private final String workerName;
    private final SerializableRunnable initializer;

    private WorkerLoop(String workerName, SerializableRunnable initializer) {
        this.workerName = workerName;
        this.initializer = initializer;
    }

    /**
     * A worker's task as its TASK_WORKER frame carries it: its name, and its initializer in {@link CodeCodec}'s form,
     * packed (see {@link SmallValues}), so that a worker whose initializer is absent or a lambda sent by reference
     * never starts Java serialization.
     *
     * @param initializer the encoded initializer, or null
     */
    public static byte[] encode(String workerName, CodeCodec.Encoded initializer) {
        Object[] fields = initializer == null ? new Object[] {workerName, null, null}
                : new Object[] {workerName, initializer.form(), initializer.bytes()};
        return SmallValues.encode(fields);
    }

    /**
     * The worker {@link #encode} described.
     *
     * @throws InvalidObjectException if the bytes are not such a description, or the initializer is not a runnable
     * @throws ClassNotFoundException if the initializer names a class this JVM does not have
     */
    static WorkerLoop decode(byte[] task) throws IOException, ClassNotFoundException {
        Object decoded = SmallValues.decode(task);
        if (!(decoded instanceof Object[]) || ((Object[]) decoded).length != 3
                || !(((Object[]) decoded)[0] instanceof String)) {
            throw new InvalidObjectException("not a pool worker's task");
        }
        Object[] fields = (Object[]) decoded;
        if (fields[1] == null) {
            return new WorkerLoop((String) fields[0], null);
        }
        if (!(fields[1] instanceof Byte) || !(fields[2] instanceof byte[])) {
            throw new InvalidObjectException("a pool worker's task with a malformed initializer");
        }
        Object initializer = CodeCodec.decode((Byte) fields[1], (byte[]) fields[2]);
        if (!(initializer instanceof SerializableRunnable)) {
            throw new InvalidObjectException("a pool worker's initializer is not a SerializableRunnable: "
                    + initializer.getClass().getName());
        }
        return new WorkerLoop((String) fields[0], (SerializableRunnable) initializer);
    }

    /** Runs the worker until the pool says STOP; its value is reported like a callable target's (null). */
    Object run(Frames control) throws Exception {
        Thread.currentThread().setName(workerName); // so a logging pattern with %thread names the worker
        if (initializer != null) {
            initializer.run(); // a failure ends the worker with exit code 1; the pool reports it
        }
        control.send(PoolProtocol.READY, new byte[0], 0, 0);
        Map<Integer, Object> functions = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Object> eldest) {
                return size() > PoolProtocol.FUNCTION_CACHE;
            }
        };
        for (;;) {
            FrameChannel.Frame frame = control.receive();
            switch (frame.kind()) {
                case PoolProtocol.FUNCTION ->
                        functions.put(ByteBuffer.wrap(frame.payload()).getInt(), readFunction(frame.payload()));
                case PoolProtocol.CHUNK -> runChunk(control, frame.payload(), functions);
                case PoolProtocol.STOP -> {
                    return null;
                }
                default -> throw new IOException("unexpected frame kind " + frame.kind() + " from the pool");
            }
        }
    }

    /** The function, or the reason it could not be read (each chunk using it then fails with that reason). */
    private static Object readFunction(byte[] payload) {
        try {
            if (payload.length < 5) {
                throw new IOException("a FUNCTION frame of " + payload.length + " bytes");
            }
            byte[] bytes = new byte[payload.length - 5];
            System.arraycopy(payload, 5, bytes, 0, bytes.length);
            return CodeCodec.decode(payload[4], bytes);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return new IllegalStateException("the worker could not read the function: " + e, e);
        }
    }

    private static void runChunk(Frames control, byte[] payload, Map<Integer, Object> functions)
            throws IOException {
        ByteBuffer in = ByteBuffer.wrap(payload);
        long chunkId = in.getLong();
        Object function = functions.get(in.getInt());
        byte shape = in.get();
        if (function instanceof Throwable) {
            fail(control, chunkId, PoolProtocol.WHOLE_CHUNK, (Throwable) function);
            return;
        }
        Object[] values;
        try {
            values = ValueCodec.decode(in);
        } catch (IOException | RuntimeException e) {
            fail(control, chunkId, PoolProtocol.WHOLE_CHUNK,
                    new IllegalStateException("the worker could not read the task's arguments: " + e, e));
            return;
        }
        long started = System.nanoTime();
        int[] next = {0}; // the value being applied, for a failure's index
        try {
            while (next[0] < values.length) {
                applyBlock(function, shape, values, next, Math.min(values.length, next[0] + ValueCodec.BLOCK));
            }
        } catch (Throwable failure) {
            fail(control, chunkId, next[0], failure);
            if (failure instanceof VirtualMachineError) {
                throw (VirtualMachineError) failure; // this JVM may be unwell: let the pool start a new one
            }
            return;
        }
        long computeNanos = System.nanoTime() - started;
        byte[] done;
        try {
            done = ValueCodec.encode(values, PoolProtocol.DONE_HEADER);
        } catch (NotSerializableException e) {
            fail(control, chunkId, PoolProtocol.WHOLE_CHUNK, new IllegalStateException(
                    "the task's result cannot be sent back: " + e.getMessage(), e));
            return;
        }
        if (done.length > Limits.MAX_FRAME_BYTES) { // sending it would end this worker: fail the task instead
            fail(control, chunkId, PoolProtocol.WHOLE_CHUNK, new IllegalStateException(Limits.overFrameLimit(
                    "the task's result", done.length) + ": return less, or send large data through a Pipe"));
            return;
        }
        ByteBuffer.wrap(done).putLong(chunkId).putLong(computeNanos);
        control.send(PoolProtocol.DONE, done, 0, done.length);
    }

    /** Applies the function to {@code values} from {@code next[0]} to {@code to}, advancing {@code next[0]}. */
    private static void applyBlock(Object function, byte shape, Object[] values, int[] next, int to)
            throws Exception {
        for (int i = next[0]; i < to; i = ++next[0]) {
            values[i] = apply(function, shape, values[i]);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object apply(Object function, byte shape, Object value) throws Exception {
        if (shape == PoolProtocol.PAIR) {
            Object[] pair = (Object[]) value;
            return ((SerializableBiFunction<Object, Object, Object>) function).apply(pair[0], pair[1]);
        }
        return ((SerializableFunction<Object, Object>) function).apply(value);
    }

    private static void fail(Frames control, long chunkId, int index, Throwable failure) throws IOException {
        byte[] cause = ChildMain.serializeFailure(failure);
        byte[] frame = new byte[12 + cause.length];
        ByteBuffer.wrap(frame).putLong(chunkId).putInt(index).put(cause);
        control.send(PoolProtocol.FAILED, frame, 0, frame.length);
    }
}
