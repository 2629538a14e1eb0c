package dev.gil.multiprocess.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Starts a child JVM running {@link ChildMain} and meets it on a private control socket. */
public final class ChildLauncher {
    /**
     * Cheap flags that change nothing the task can observe. The serial collector is a trade: on JDK 17 only G1 maps
     * the heap objects of the default CDS archive, and a child under G1 starts and joins 3-5 ms sooner here (51 against
     * 55 ms, interleaved), but a child receiving 1 MiB messages (each {@code recvBytes} allocates one) carried
     * 2.7-4.0 GiB/s alone and 1.4 GiB/s, below CPython's 2.3, in a full benchmark run, where the serial collector
     * keeps 3.5-5 GiB/s. A child's heap is usually small and short-lived. Give the child {@code jvmOptions} to choose
     * another collector.
     */
    private static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:-UsePerfData",
            "-Xshare:auto");
    private static final long HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private ChildLauncher() {}

    /** A started child: the process, its control channel (null if it died before connecting) and its output pumps. */
    public record Launched(Process process, FrameChannel control, List<Thread> outputPumps, OutputStream stdin,
            AtomicReference<String> outputPrefix) {}

    /**
     * Tells a child to prepare for any task: one started ahead of time for a warm start, which nobody waits for yet,
     * and one that records the class data archive, so that the archive holds what any later child needs.
     */
    static final String PREPARE_EVERYTHING_FLAG = "--prepare-everything";
    /** Tells a child its task comes through Java serialization, so that it prepares that while it connects. */
    static final String PREPARE_SERIALIZATION_FLAG = "--prepare-serialization";

    /**
     * Starts a child for a task that will come as a {@link ControlProtocol#TASK} frame if {@code serializedTask}, as
     * a {@link ControlProtocol#TASK_BY_REFERENCE} frame otherwise.
     */
    public static Launched launch(String name, List<String> jvmOptions, Map<String, String> environment,
            Path workingDirectory, boolean serializedTask) throws IOException {
        return launch(name, jvmOptions, environment, workingDirectory,
                serializedTask ? PREPARE_SERIALIZATION_FLAG : null);
    }

    static Launched launchStandby() throws IOException {
        return launch("JvmProcess-standby", List.of(), Map.of(), null, PREPARE_EVERYTHING_FLAG);
    }

    private static Launched launch(String name, List<String> jvmOptions, Map<String, String> environment,
            Path workingDirectory, String preparationFlag) throws IOException {
        Path socket = PrivateSockets.newShortLivedSocketPath("control.sock");
        String token = PrivateSockets.newToken();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            ClassDataArchive.Plan classData = ClassDataArchive.plan(DEFAULT_JVM_OPTIONS, jvmOptions);
            command.addAll(DEFAULT_JVM_OPTIONS);
            command.addAll(SelectorProviders.sameAsOurs(jvmOptions));
            command.addAll(classData.options());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(ChildMain.class.getName());
            command.add(socket.toString());
            command.add(String.valueOf(ProcessHandle.current().pid()));
            if (classData.records()) {
                command.add(PREPARE_EVERYTHING_FLAG);
            } else if (preparationFlag != null) {
                command.add(preparationFlag);
            }
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            Process process;
            try {
                process = builder.start();
            } catch (IOException | RuntimeException e) {
                classData.childExited(-1);
                throw e;
            }
            process.onExit().thenAccept(exited -> classData.childExited(exited.exitValue()));
            OutputStream stdin = process.getOutputStream();
            try {
                stdin.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
            } catch (IOException exitedAlready) {
                // A JVM that refused its options is gone before reading its stdin; awaitChild reports it.
            }
            AtomicReference<String> prefix = new AtomicReference<>("");
            List<Thread> pumps = List.of(
                    pump(process.getInputStream(), () -> System.out, prefix, name + "-stdout"),
                    pump(process.getErrorStream(), () -> System.err, prefix, name + "-stderr"));
            return new Launched(process, awaitChild(server, process, token), pumps, stdin, prefix);
        } finally {
            PrivateSockets.delete(socket);
        }
    }

    /** The child's connection, or {@code null} if it exited first (a bad JVM option, say). */
    private static FrameChannel awaitChild(ServerSocketChannel server, Process process, String token)
            throws IOException {
        long deadline = System.nanoTime() + HANDSHAKE_TIMEOUT_NANOS;
        server.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (System.nanoTime() - deadline < 0) {
                selector.select(20);
                SocketChannel candidate = server.accept();
                if (candidate != null) {
                    FrameChannel frames = new FrameChannel(candidate);
                    FrameChannel.Frame hello = frames.receive(1024);
                    if (hello.kind() == ControlProtocol.HELLO
                            && MessageDigest.isEqual(hello.payload(), token.getBytes(StandardCharsets.US_ASCII))) {
                        return frames;
                    }
                    frames.close();
                } else if (!process.isAlive()) {
                    return null;
                }
            }
        }
        process.destroyForcibly();
        throw new IOException("the child JVM did not connect within "
                + TimeUnit.NANOSECONDS.toSeconds(HANDSHAKE_TIMEOUT_NANOS) + " s; it was killed");
    }

    /**
     * Copies the child's output to ours line by line. The target stream is looked up for every line, so a test that
     * replaces {@code System.out} sees the child's output too. Each line starts with the prefix (empty unless set, as
     * for pool workers, whose lines name the worker).
     */
    private static Thread pump(InputStream from, Supplier<PrintStream> to, AtomicReference<String> prefix,
            String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    to.get().println(prefix.get() + line);
                }
            } catch (IOException closed) {
                // the child is gone
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
