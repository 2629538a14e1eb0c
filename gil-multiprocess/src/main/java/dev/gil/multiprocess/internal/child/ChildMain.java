package dev.gil.multiprocess.internal.child;

import dev.gil.multiprocess.ChildException;
import dev.gil.multiprocess.SerializableCallable;
import dev.gil.multiprocess.SerializableRunnable;
import dev.gil.multiprocess.internal.channel.FrameChannel;
import dev.gil.multiprocess.internal.channel.Frames;
import dev.gil.multiprocess.internal.channel.PipeFrames;
import dev.gil.multiprocess.internal.launch.ChildLauncher;
import dev.gil.multiprocess.internal.launch.ControlPipes;
import dev.gil.multiprocess.internal.launch.ControlProtocol;
import dev.gil.multiprocess.internal.wire.AllowedClasses;
import dev.gil.multiprocess.internal.wire.CodeCodec;
import dev.gil.multiprocess.internal.wire.LambdaByReference;
import dev.gil.multiprocess.internal.wire.SerialCodec;
import dev.gil.multiprocess.internal.wire.WireCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The child JVM's entry point: meets the parent on its control channel (a pair of pipes, or an AF_UNIX socket; see
 * {@link ControlPipes}), runs the target, reports the outcome, exits with Python's exit codes (0 normal, 1 uncaught
 * exception, {@code n} for {@code System.exit(n)}).
 */
public final class ChildMain {
    private static final byte[] NOTHING = new byte[0];

    private ChildMain() {}

    public static void main(String[] args) throws Exception {
        InputStream fromParent = System.in; // the parent's frames follow the token on it, read through its buffer
        String token = readLine(fromParent);
        boolean pipes = args[0].equals(ControlPipes.ARGUMENT);
        String fifo = pipes ? readLine(fromParent) : null; // sent once it is a FIFO (see ControlPipes)
        System.setIn(new ByteArrayInputStream(new byte[0])); // stdin is the parent's, not the task's
        String preparation = args.length > 2 ? args[2] : "";
        prepareForTask(preparation, !pipes);
        // Watched before we meet the parent: opening the FIFO of a parent that died meanwhile would block for ever.
        watchParent(Long.parseLong(args[1]), preparation.equals(ChildLauncher.PREPARE_EVERYTHING_FLAG));
        Frames control = pipes ? new PipeFrames(fromParent, new FileOutputStream(fifo))
                : new FrameChannel(SocketChannel.open(UnixDomainSocketAddress.of(args[0])));
        byte[] hello = token.getBytes(StandardCharsets.US_ASCII);
        control.send(ControlProtocol.HELLO, hello, 0, hello.length);
        Thread goodbye = new Thread(new Goodbye(control), "gil4j-child-goodbye");
        Runtime.getRuntime().addShutdownHook(goodbye);
        FrameChannel.Frame task = control.receive();
        int status;
        try {
            Object target = decodeTask(task);
            control.send(ControlProtocol.RUNNING, NOTHING, 0, 0);
            Object result = target instanceof WorkerLoop ? ((WorkerLoop) target).run(control) : run(target);
            sendResult(control, result);
            status = 0;
        } catch (Throwable failure) {
            failure.printStackTrace();
            byte[] bytes = serializeFailure(failure);
            control.send(ControlProtocol.FAILURE, bytes, 0, bytes.length);
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        sayGoodbyeInsteadOf(goodbye, control);
        System.exit(status);
    }

    private static Object decodeTask(FrameChannel.Frame task) throws IOException, ClassNotFoundException {
        switch (task.kind()) {
            case ControlProtocol.TASK:
                return CodeCodec.decodeTarget(task.payload());
            case ControlProtocol.TASK_WORKER:
                return WorkerLoop.decode(task.payload());
            default:
                throw new IOException("unexpected frame kind " + task.kind() + " instead of a task");
        }
    }

    /**
     * Pays first-use costs before the task needs them, on a second thread while this one meets the parent, and only
     * those this task needs: AF_UNIX sockets (their first use seeds a secure random generator, milliseconds in a fresh
     * JVM) when the control channel is such a socket (the connection waits for it) or the task has a
     * {@code Connection}; the lambda metafactory that rebuilds a task sent {@linkplain LambdaByReference by reference}
     * when there is a socket to wait for meanwhile (with pipes the task arrives sooner than a second thread could
     * help); Java serialization (costly on first use, see {@link LambdaByReference}) when the task comes that way. A
     * child told to prepare everything (see {@link ChildLauncher#PREPARE_EVERYTHING_FLAG}) does it all on this thread
     * before it meets the parent: such a child is only ready when prepared. Any other child prepares only when it has a
     * CPU to spare, or its task would only be delayed.
     */
    private static void prepareForTask(String preparationFlag, boolean controlSocket) {
        boolean everything = preparationFlag.equals(ChildLauncher.PREPARE_EVERYTHING_FLAG);
        boolean serialization = everything || preparationFlag.equals(ChildLauncher.PREPARE_SERIALIZATION_FLAG);
        boolean sockets = everything || serialization || controlSocket
                || preparationFlag.equals(ChildLauncher.PREPARE_SOCKETS_FLAG);
        boolean lambdas = everything || controlSocket;
        if (!everything && !((sockets || serialization) && Runtime.getRuntime().availableProcessors() >= 2)) {
            return;
        }
        Runnable preparation = new Preparation(controlSocket, lambdas, serialization, sockets);
        if (everything) {
            preparation.run();
        } else {
            Thread prepare = new Thread(preparation, "gil4j-child-prepare");
            prepare.setDaemon(true);
            prepare.start();
        }
    }

    /**
     * What {@link #prepareForTask} runs. A class, not a lambda, as are {@link Goodbye} and {@link ParentWatch}: the
     * first {@code invokedynamic} a fresh JDK 17 JVM links starts the lambda machinery itself, milliseconds even for a
     * class CDS archived, and nothing on a trivial task's way should pay that.
     */
    private static final class Preparation implements Runnable {
        private final boolean controlSocket;
        private final boolean lambdas;
        private final boolean serialization;
        private final boolean sockets;

        Preparation(boolean controlSocket, boolean lambdas, boolean serialization, boolean sockets) {
            this.controlSocket = controlSocket;
            this.lambdas = lambdas;
            this.serialization = serialization;
            this.sockets = sockets;
        }

        @Override
        @SuppressWarnings("serial") // the probe is a no-op: sending it by reference exposes nothing
        public void run() {
            if (controlSocket) {
                prepareSockets(); // first: the connection waits for it
            }
            try {
                SerializableRunnable probe = ChildMain::probe;
                if (lambdas) {
                    AllowedClasses.prepare(); // the task's class is checked before it is loaded
                    byte[] reference = LambdaByReference.encode(probe).bytes();
                    ChildMain.run(LambdaByReference.decodeTask(reference)); // a direct call
                    LambdaByReference.decode(reference); // for the tasks that are rebuilt
                }
                if (serialization) {
                    SerialCodec.deserialize(SerialCodec.serialize(probe));
                    SerialCodec.deserialize(SerialCodec.serialize(new Object[] {"warm", 1L, 1.5}));
                }
            } catch (Exception notNeeded) {
                // only an optimisation
            }
            if (sockets && !controlSocket) {
                prepareSockets(); // last: a task's Connection is used after the task has arrived
            }
        }
    }

    private static void prepareSockets() {
        try {
            SecureRandom.getInstance("NativePRNGNonBlocking");
            Selector.open().close();
        } catch (NoSuchAlgorithmException | IOException | RuntimeException notNeeded) {
            // the JDK falls back to another generator, or the task pays: only an optimisation
        }
    }

    private static void probe() {}

    private static Object run(Object target) throws Exception {
        if (target instanceof DirectCall) {
            return ((DirectCall) target).call();
        }
        if (target instanceof SerializableRunnable) {
            ((SerializableRunnable) target).run();
            return null;
        }
        if (target instanceof SerializableCallable) {
            return ((SerializableCallable<?>) target).call();
        }
        throw new IllegalArgumentException("not a task: " + target.getClass().getName());
    }

    /** Encoded as {@link WireCodec} chooses (a runnable's {@code null} is packed). */
    private static void sendResult(Frames control, Object result) throws IOException {
        WireCodec.Encoded encoded;
        try {
            encoded = WireCodec.encode(result);
        } catch (java.io.NotSerializableException e) {
            throw new IllegalStateException("the task's result of type " + result.getClass().getName()
                    + " is not serializable: " + e.getMessage(), e);
        }
        control.send(encoded.packed() ? ControlProtocol.RESULT_PACKED : ControlProtocol.RESULT, encoded.bytes(), 0,
                encoded.bytes().length);
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

    /** A UTF-8 line from the parent, read byte by byte: the parent's frames follow on the same stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                System.exit(ControlProtocol.PARENT_DIED);
            }
            line.write(c);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /**
     * Exits within about {@value #PARENT_CHECK_MILLIS} ms of the parent's death, whatever killed it. It polls rather
     * than blocking on a read of stdin: a thread blocked in a native read makes {@code System.exit} wait for it
     * (HotSpot's VM_Exit waits for threads in native code), and that would be paid by every child. The parent is
     * named by the pid it passed, not looked up: a parent that died before the lookup would be replaced by whoever
     * adopted us. On Linux each check reads our parent's pid from {@code /proc/self/stat} (one small read; a child
     * whose parent died has been adopted by another process); elsewhere it asks a {@code ProcessHandle}, whose first
     * use costs a fresh JVM milliseconds of class loading, so the watch waits one interval before it sets up, in its
     * own thread, which a short task's child, gone by then, never pays. A child that prepares everything
     * ({@code atOnce}: a standby, or the child that records the class data archive) sets the watch up at once, on
     * this thread, before it meets the parent: on JDK 25 a lambda linked by the watch while the JVM wrote its archive
     * at exit crashed the JVM (SIGSEGV in {@code LambdaProxyClassDictionary}).
     */
    private static void watchParent(long parentPid, boolean atOnce) {
        ParentWatch watch = new ParentWatch(parentPid);
        if (atOnce) {
            watch.setUp();
        }
        Thread thread = new Thread(watch, "gil4j-parent-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private static final long PARENT_CHECK_MILLIS = 100;

    /** Halts this JVM once the parent is gone; see {@link #watchParent}. */
    private static final class ParentWatch implements Runnable {
        private final long parentPid;
        /** Set up: by the thread that starts the watch, or by the watch itself. */
        private boolean setUp;
        /** The parent, where {@code /proc/self/stat} does not name it; else null. */
        private ProcessHandle handle;

        ParentWatch(long parentPid) {
            this.parentPid = parentPid;
        }

        void setUp() {
            setUp = true;
            if (parentPidFromProc() != parentPid) { // not Linux, or the parent died already (then the handle is null)
                handle = ProcessHandle.of(parentPid).orElse(null);
            }
        }

        boolean parentAlive() {
            return handle == null ? parentPidFromProc() == parentPid : handle.isAlive();
        }

        @Override
        public void run() {
            try {
                if (!setUp) {
                    Thread.sleep(PARENT_CHECK_MILLIS);
                    setUp();
                }
                while (parentAlive()) {
                    Thread.sleep(PARENT_CHECK_MILLIS);
                }
            } catch (InterruptedException exiting) {
                return;
            }
            Runtime.getRuntime().halt(ControlProtocol.PARENT_DIED);
        }
    }

    /**
     * This process's parent's pid as Linux's {@code /proc/self/stat} gives it ({@code pid (comm) state ppid ...}),
     * or -1 where it cannot be read.
     */
    static long parentPidFromProc() {
        byte[] stat = new byte[512];
        int length;
        try (FileInputStream in = new FileInputStream("/proc/self/stat")) {
            length = in.readNBytes(stat, 0, stat.length);
        } catch (IOException | SecurityException notLinux) {
            return -1;
        }
        int at = length - 1;
        while (at >= 0 && stat[at] != ')') { // the command name may hold spaces and parentheses: skip to its end
            at--;
        }
        if (at < 0 || at + 3 >= length || stat[at + 3] != ' ') {
            return -1;
        }
        at += 3; // ") " and the one-letter state
        long parent = -1;
        for (at++; at < length && stat[at] >= '0' && stat[at] <= '9'; at++) {
            parent = (parent < 0 ? 0 : parent * 10) + (stat[at] - '0');
        }
        return parent;
    }

    /** Tells the parent this JVM is exiting; a shutdown hook unless {@link #sayGoodbyeInsteadOf} says it first. */
    private static final class Goodbye implements Runnable {
        private final Frames control;

        Goodbye(Frames control) {
            this.control = control;
        }

        @Override
        public void run() {
            if (shuttingDownOnSigterm()) {
                byte[] signal = {15};
                try {
                    control.send(ControlProtocol.SIGNAL, signal, 0, 1);
                } catch (IOException parentGone) {
                    // nothing to tell
                }
            }
            sayGoodbye(control);
        }
    }

    /**
     * Whether this JVM is shutting down because of a SIGTERM, so that the parent reads -15 rather than the 143 a
     * {@code System.exit(143)} also gives: the JDK runs that shutdown from a thread it names "SIGTERM handler" (JDK 17
     * to 25), alive while the shutdown hooks run. Cheaper than handling the signal ourselves, which takes a dynamic
     * proxy of {@code sun.misc.SignalHandler}: about 15 ms of a fresh worker's CPU while a script's first tasks run. If
     * a JDK named it otherwise, a SIGTERM would read as 143, as it does before this hook is in place.
     */
    static boolean shuttingDownOnSigterm() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        for (int i = 0; i < count; i++) {
            if ("SIGTERM handler".equals(threads[i].getName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Says goodbye now, on the way to {@code System.exit}, rather than from the shutdown hook, which would cost the
     * JVM a thread at exit; the hook stays when the JVM is already shutting down (a SIGTERM, say).
     */
    private static void sayGoodbyeInsteadOf(Thread hook, Frames control) {
        try {
            if (Runtime.getRuntime().removeShutdownHook(hook)) {
                sayGoodbye(control);
            }
        } catch (IllegalStateException shuttingDown) {
            // the hook says it
        }
    }

    private static void sayGoodbye(Frames control) {
        try {
            control.send(ControlProtocol.EXITING, NOTHING, 0, 0);
        } catch (IOException parentGone) {
            // nothing to tell
        }
    }
}
