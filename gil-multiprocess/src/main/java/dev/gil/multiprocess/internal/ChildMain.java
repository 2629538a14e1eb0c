package dev.gil.multiprocess.internal;

import dev.gil.multiprocess.ChildException;
import dev.gil.multiprocess.SerializableCallable;
import dev.gil.multiprocess.SerializableRunnable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The child JVM's entry point: meets the parent on its control socket, runs the target, reports the outcome, exits
 * with Python's exit codes (0 normal, 1 uncaught exception, {@code n} for {@code System.exit(n)}).
 */
public final class ChildMain {
    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        String token = readLine(System.in);
        System.setIn(new ByteArrayInputStream(new byte[0])); // the token was the parent's only message on stdin
        boolean standby = args.length > 2 && args[2].equals(ChildLauncher.STANDBY_FLAG);
        prepareAlongside(standby);
        FrameChannel control = new FrameChannel(SocketChannel.open(UnixDomainSocketAddress.of(args[0])));
        byte[] hello = token.getBytes(StandardCharsets.US_ASCII);
        control.send(ControlProtocol.HELLO, hello, 0, hello.length);
        watchParent(Long.parseLong(args[1]), control);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> sayGoodbye(control), "gil4j-child-goodbye"));
        FrameChannel.Frame task = control.receive();
        int status;
        try {
            Object target = SerialCodec.deserialize(task.payload());
            Object result = target instanceof ChildTask ? ((ChildTask) target).run(control) : run(target);
            byte[] bytes = serializeResult(result);
            control.send(ControlProtocol.RESULT, bytes, 0, bytes.length);
            status = 0;
        } catch (Throwable failure) {
            failure.printStackTrace();
            byte[] bytes = serializeFailure(failure);
            control.send(ControlProtocol.FAILURE, bytes, 0, bytes.length);
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * Pays the first-use costs of what comes next on another thread, while this one connects to the parent: the
     * secure random generator that the JDK's first AF_UNIX connection seeds itself from (8 ms in a fresh JVM, as long
     * again as the connection's own set-up), then {@link #warmUp()}. A child started ahead of time always does it
     * (nobody waits for it yet); a cold child only when it has a CPU to spare, or it would only be delayed.
     */
    private static void prepareAlongside(boolean standby) {
        if (!standby && Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        Thread prepare = new Thread(() -> {
            try {
                SecureRandom.getInstance("NativePRNGNonBlocking");
            } catch (NoSuchAlgorithmException notOnThisPlatform) {
                // the JDK falls back to another generator; nothing to prepare
            }
            warmUp();
        }, "gil4j-child-prepare");
        prepare.setDaemon(true);
        prepare.start();
    }

    /**
     * Loads what every task needs before the task arrives: Java serialization both ways, the deserialization filter,
     * and the lambda metafactory that a serialized lambda is rebuilt with.
     */
    private static void warmUp() {
        try {
            SerializableRunnable probe = () -> { };
            SerialCodec.deserialize(SerialCodec.serialize(probe));
            SerialCodec.deserialize(SerialCodec.serialize(new Object[] {"warm", 1L, 1.5}));
        } catch (Exception notNeeded) {
            // only an optimisation
        }
    }

    private static Object run(Object target) throws Exception {
        if (target instanceof SerializableRunnable) {
            ((SerializableRunnable) target).run();
            return null;
        }
        if (target instanceof SerializableCallable) {
            return ((SerializableCallable<?>) target).call();
        }
        throw new IllegalArgumentException("not a task: " + target.getClass().getName());
    }

    private static byte[] serializeResult(Object result) throws Exception {
        try {
            return SerialCodec.serialize(result);
        } catch (java.io.NotSerializableException e) {
            throw new IllegalStateException("the task's result of type " + result.getClass().getName()
                    + " is not serializable: " + e.getMessage(), e);
        }
    }

    /** The exception itself if it crosses, else a {@link ChildException} with its class name, message and trace. */
    public static byte[] serializeFailure(Throwable failure) {
        try {
            byte[] bytes = SerialCodec.serialize(failure);
            SerialCodec.deserialize(bytes); // the parent must be able to read it back too
            return bytes;
        } catch (Exception notTransferable) {
            try {
                return SerialCodec.serialize(new ChildException(failure));
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                System.exit(ControlProtocol.PARENT_DIED);
            }
            line.append((char) c);
        }
        return line.toString();
    }

    /**
     * Exits within {@value #PARENT_CHECK_MILLIS} ms of the parent's death, whatever killed it. It polls rather than
     * blocking on a read of stdin: a thread blocked in a native read makes {@code System.exit} wait 300 ms for it
     * (HotSpot's VM_Exit waits for threads in native code), and that would be paid by every child. The parent is
     * named by the pid it passed, not looked up: a parent that died before the lookup would be replaced by whoever
     * adopted us. Everything runs in the watching thread, off the path to the task: the first {@code ProcessHandle}
     * costs milliseconds, and so does the SIGTERM reporter it installs first (a dynamic proxy, 9 ms in a fresh JVM).
     * A SIGTERM that comes before the reporter is in place ends the JVM the default way, with status 143, which the
     * parent that sent it reads as -15 all the same.
     */
    private static void watchParent(long parentPid, FrameChannel control) {
        Thread watch = new Thread(() -> {
            reportSigterm(control);
            try {
                ProcessHandle parent = ProcessHandle.of(parentPid).orElse(null);
                while (parent != null && parent.isAlive()) {
                    Thread.sleep(PARENT_CHECK_MILLIS);
                }
            } catch (InterruptedException exiting) {
                return;
            }
            Runtime.getRuntime().halt(ControlProtocol.PARENT_DIED);
        }, "gil4j-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private static final long PARENT_CHECK_MILLIS = 100;

    private static void sayGoodbye(FrameChannel control) {
        try {
            control.send(ControlProtocol.EXITING, new byte[0], 0, 0);
        } catch (IOException parentGone) {
            // nothing to tell
        }
    }

    /**
     * Replaces the JVM's SIGTERM handling with one that first tells the parent, then exits with the usual 143. Through
     * reflection: {@code sun.misc.Signal} is the only way to handle a signal, and is not public API.
     */
    private static void reportSigterm(FrameChannel control) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object term = signalClass.getConstructor(String.class).newInstance("TERM");
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, arguments) -> {
                        if (method.getName().equals("handle")) {
                            byte[] signal = {15};
                            try {
                                control.send(ControlProtocol.SIGNAL, signal, 0, 1);
                            } catch (IOException parentGone) {
                                // exit anyway
                            }
                            System.exit(128 + 15);
                        }
                        return method.getName().equals("toString") ? "gil4j SIGTERM reporter" : null;
                    });
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            handle.invoke(null, term, handler);
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            // Without it, a SIGTERM reads as exit code 143 instead of -15: still correct, less precise.
        }
    }
}
