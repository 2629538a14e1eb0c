package dev.gil.multiprocess.internal.launch;

import dev.gil.multiprocess.internal.Limits;
import dev.gil.multiprocess.internal.channel.FrameChannel;
import dev.gil.multiprocess.internal.channel.Frames;
import dev.gil.multiprocess.internal.channel.PrivateSockets;
import dev.gil.multiprocess.internal.channel.SelectorProviders;
import dev.gil.multiprocess.internal.child.ChildMain;
import dev.gil.multiprocess.internal.wire.AllowedClasses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Starts a child JVM running {@link ChildMain} and meets it on a private control channel: a pair of pipes where
 * {@code mkfifo} exists (see {@link ControlPipes}), an AF_UNIX socket in a private directory elsewhere.
 */
public final class ChildLauncher {
    /**
     * Cheap flags that change nothing the task can observe, besides the collector (see {@link ChildCollector}):
     * no performance-data file in {@code /tmp} for every child, and class data sharing where the JVM can have it.
     */
    private static final List<String> CHEAP_JVM_OPTIONS = List.of("-XX:-UsePerfData", "-Xshare:auto");
    private static final long HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private ChildLauncher() {}

    /** A started child: the process, its control channel (null if it died before connecting) and its output pumps. */
    public record Launched(Process process, Frames control, List<Thread> outputPumps, OutputStream stdin,
            AtomicReference<String> outputPrefix) {}

    /**
     * Tells a child to prepare for any task: one started ahead of time for a warm start, which nobody waits for yet,
     * and one that records the class data archive, so that the archive holds what any later child needs.
     */
    public static final String PREPARE_EVERYTHING_FLAG = "--prepare-everything";
    /** Tells a child its task comes through Java serialization, so that it prepares that while it connects. */
    public static final String PREPARE_SERIALIZATION_FLAG = "--prepare-serialization";
    /** Tells a child its task has a {@code Connection}, so that it prepares AF_UNIX sockets while it connects. */
    public static final String PREPARE_SOCKETS_FLAG = "--prepare-sockets";

    /** What a child's task will need besides what every task needs, so that the child prepares it early. */
    public enum TaskNeeds {
        /** Nothing more: a lambda sent by reference with small values. */
        NOTHING_MORE(null),
        /** AF_UNIX sockets: a lambda sent by reference that has a {@code Connection}. */
        SOCKETS(PREPARE_SOCKETS_FLAG),
        /** Java serialization, and sockets for any {@code Connection} inside. */
        SERIALIZATION(PREPARE_SERIALIZATION_FLAG);

        private final String flag;

        TaskNeeds(String flag) {
            this.flag = flag;
        }
    }

    /** Starts a child for a task that needs {@code needs}, so that the child prepares it while it meets us. */
    static Launched launch(Means means, String name, List<String> jvmOptions, Map<String, String> environment,
            Path workingDirectory, TaskNeeds needs) throws IOException {
        return launch(means, name, jvmOptions, environment, workingDirectory, needs.flag);
    }

    static Launched launchStandby(Means means) throws IOException {
        return launch(means, "JvmProcess-standby", List.of(), Map.of(), null, PREPARE_EVERYTHING_FLAG);
    }

    /** What a launcher keeps between launches: the FIFO made ahead of time, and the class-data archive's state. */
    record Means(ControlPipes pipes, ClassDataArchive classData) {}

    private static Launched launch(Means means, String name, List<String> jvmOptions,
            Map<String, String> environment, Path workingDirectory, String preparationFlag) throws IOException {
        ControlPipes pipes = means.pipes();
        if (pipes.available()) {
            // The child boots first: the FIFO (a process of its own when no spare is ready) is made meanwhile, and
            // the child learns its path on stdin after its token, so it never opens the path before it is a FIFO.
            Started child = start(means.classData(), name, jvmOptions, environment, workingDirectory,
                    preparationFlag, ControlPipes.ARGUMENT);
            Path fifo = null;
            try {
                fifo = pipes.create();
                if (fifo != null) {
                    try (FileChannel bothWays = ControlPipes.openBothWays(fifo)) {
                        child.tell(child.token() + "\n" + fifo + "\n");
                        Frames control = ControlPipes.awaitChild(fifo, bothWays, child.process(), child.token(),
                                child.stdin(), HANDSHAKE_TIMEOUT_NANOS);
                        return child.launched(control);
                    }
                }
            } catch (IOException | RuntimeException e) {
                child.process().destroyForcibly(); // not left running without a channel
                throw e;
            } finally {
                if (fifo != null) {
                    PrivateSockets.delete(fifo);
                    pipes.makeSpare(); // for the next child, now that this one has booted
                }
            }
            // mkfifo failed (this machine has none): this child never learns a channel; the next ones use sockets.
            child.process().destroyForcibly();
        }
        Path socket = PrivateSockets.newShortLivedSocketPath("control.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Started child = start(means.classData(), name, jvmOptions, environment, workingDirectory,
                    preparationFlag, socket.toString());
            child.tell(child.token() + "\n");
            return child.launched(awaitChild(server, child.process(), child.token()));
        } finally {
            PrivateSockets.delete(socket);
        }
    }

    /** A child started, not yet told its token nor met on its control channel. */
    private record Started(Process process, String token, OutputStream stdin, List<Thread> outputPumps,
            AtomicReference<String> outputPrefix) {
        Launched launched(Frames control) {
            return new Launched(process, control, outputPumps, stdin, outputPrefix);
        }

        /** Writes {@code lines} to the child's stdin, where it reads its token (and its FIFO's path) first. */
        void tell(String lines) {
            try {
                stdin.write(lines.getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException exitedAlready) {
                // A JVM that refused its options is gone before reading its stdin; awaiting it reports that.
            }
        }
    }

    /**
     * Starts the child JVM, tells it where to meet us ({@code channel}), and draws its token, which the caller sends
     * on its stdin once the child is on its way (see {@link PrivateSockets#newToken()}).
     */
    private static Started start(ClassDataArchive classDataArchive, String name, List<String> jvmOptions,
            Map<String, String> environment, Path workingDirectory, String preparationFlag, String channel)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder();
        builder.environment().putAll(environment);
        List<String> defaults = defaultJvmOptions(jvmOptions, builder.environment());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ClassDataArchive.Plan classData = classDataArchive.plan(defaults, jvmOptions);
        command.addAll(defaults);
        if (!channel.equals(ControlPipes.ARGUMENT) || preparationFlag != null || classData.records()) {
            // Only for a child that opens sockets: naming the provider makes our first launch look for it instead.
            command.addAll(SelectorProviders.sameAsOurs(jvmOptions));
        }
        command.addAll(Limits.sameAsOurs());
        command.addAll(AllowedClasses.sameAsOurs());
        command.addAll(classData.options());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildMain.class.getName());
        command.add(channel);
        command.add(String.valueOf(ProcessHandle.current().pid()));
        if (classData.records()) {
            command.add(PREPARE_EVERYTHING_FLAG);
        } else if (preparationFlag != null) {
            command.add(preparationFlag);
        }
        builder.command(command);
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
        String token = PrivateSockets.newToken();
        AtomicReference<String> prefix = new AtomicReference<>("");
        List<Thread> pumps = List.of(
                pump(process.getInputStream(), () -> System.out, prefix, name + "-stdout"),
                pump(process.getErrorStream(), () -> System.err, prefix, name + "-stderr"));
        return new Started(process, token, stdin, pumps, prefix);
    }

    /**
     * The options every child with these options and environment gets before them: our collector unless the user
     * chose one, and the {@linkplain #CHEAP_JVM_OPTIONS cheap flags}.
     */
    static List<String> defaultJvmOptions(List<String> jvmOptions, Map<String, String> environment) {
        List<String> defaults = new ArrayList<>(ChildCollector.optionsFor(jvmOptions, environment));
        defaults.addAll(CHEAP_JVM_OPTIONS);
        return defaults;
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
                    if (ControlProtocol.isHelloWith(hello, token)) {
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

    /** The longest line the output pump keeps before it passes the part on as a line of its own. */
    static final int MAX_OUTPUT_LINE_CHARS = 8 * 1024;

    /**
     * Copies the child's output to ours line by line. The target stream is looked up for every line, so a test that
     * replaces {@code System.out} sees the child's output too. Each line starts with the prefix (empty unless set, as
     * for pool workers, whose lines name the worker). A line longer than {@link #MAX_OUTPUT_LINE_CHARS} is passed on
     * in parts of that length, so a child that writes without newlines costs this JVM bounded memory.
     */
    private static Thread pump(InputStream from, Supplier<PrintStream> to, AtomicReference<String> prefix,
            String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                StringBuilder line = new StringBuilder();
                while (readLine(in, line, MAX_OUTPUT_LINE_CHARS)) {
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

    /**
     * Reads the next line (without its terminator, {@code \n} or {@code \r\n}) into {@code line}, or its next
     * {@code max} characters if it is longer.
     *
     * @return {@code false} at the end of the stream with nothing read
     */
    static boolean readLine(BufferedReader in, StringBuilder line, int max) throws IOException {
        line.setLength(0);
        int c = -1;
        while (line.length() < max && (c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        if (c == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
            line.setLength(line.length() - 1);
        } else if (line.length() == max) {
            in.mark(1); // a part that ends just before its newline: take the newline too, not an empty line after
            if (in.read() != '\n') {
                in.reset();
            }
        }
        return c != -1 || line.length() > 0;
    }
}
