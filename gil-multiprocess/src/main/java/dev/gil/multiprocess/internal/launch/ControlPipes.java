package dev.gil.multiprocess.internal.launch;

import dev.gil.multiprocess.internal.Properties;
import dev.gil.multiprocess.internal.channel.FrameChannel;
import dev.gil.multiprocess.internal.channel.Frames;
import dev.gil.multiprocess.internal.channel.PipeFrames;
import dev.gil.multiprocess.internal.channel.PrivateSockets;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child's control channel as two pipes: its stdin from parent to child, and a named pipe (a FIFO, made by
 * {@code mkfifo} in a fresh 0700 directory, mode 0600) from child to parent. Where {@code mkfifo} is missing, or with
 * {@code -Ddev.gil.multiprocess.control=socket}, children use a private AF_UNIX socket instead.
 *
 * <p>Why pipes: a fresh JVM's first AF_UNIX connection loads the NIO selector provider, the socket code and the
 * secure random generator that code seeds before the first byte, a large part of a child's cold start;
 * opening a FIFO with {@code java.io} costs nothing of that. The protocol is unchanged: the child opens the FIFO and
 * says HELLO with the token it read on stdin, and the parent accepts nothing else first.
 *
 * <p>The parent starts the child first, then takes a FIFO made ahead of time or makes one while the child boots. It
 * opens the FIFO for reading and writing, so neither side's open blocks (Linux and the BSDs allow it), and only then
 * writes the token and the FIFO's path on the child's stdin: the child reads them before it opens anything, so it
 * never opens the path before it is a FIFO (its open would create a plain file). Once the child has said HELLO, the
 * parent opens the FIFO again for reading only and drops the first descriptor: from then on the child holds the only
 * writing end, so its exit is an end of stream, as with the socket. The FIFO's name is removed once both ends are
 * open. Another process of the same user could open the FIFO before that; a process of another user cannot.
 * {@code mkfifo} runs ahead of time once a child has booted, for the next one, and once for all the workers of a pool
 * before they start; the FIFOs left over at exit are removed then (unless this JVM is killed).
 */
public final class ControlPipes {
    /**
     * The child's first argument when its control channel is a FIFO, whose path then follows its token on stdin; a
     * socket path otherwise.
     */
    public static final String ARGUMENT = "fifo:";
    /** {@code -Ddev.gil.multiprocess.control=socket} makes every child use the AF_UNIX socket. */
    static final String TRANSPORT_PROPERTY = "dev.gil.multiprocess.control";
    /**
     * What the parent reads from a child's FIFO at once: a pool worker's small results queue up in the pipe, and
     * unbuffered, each would cost a read per header byte and one for its payload.
     */
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    /** SLF4J on first use: a program that never hears from us does not start its logging backend for us. */
    private static final class Log {
        static final Logger logger = LoggerFactory.getLogger(ControlPipes.class);
    }

    /** Set when {@code mkfifo} failed once: children use sockets from then on. A fact about this machine. */
    private static volatile boolean unavailable;
    private final Object spareLock = new Object();
    /** FIFOs made ahead of time, not yet taken. Guarded by {@code spareLock}. */
    private final Deque<Path> spares = new ArrayDeque<>();
    /** The background {@link #makeSpare()} under way, or null. Guarded by {@code spareLock}. */
    private CompletableFuture<Void> making;
    /** Set by {@link #close()}: nothing is made ahead of time any more. Guarded by {@code spareLock}. */
    private boolean closed;

    /**
     * A fresh FIFO in a private directory, or {@code null} if children should use a socket: one made ahead of time
     * when there is one (waiting for the one being made, if any), else one made now ({@code mkfifo} is a process of
     * its own).
     */
    Path create() {
        if (socketsOnly()) {
            return null;
        }
        CompletableFuture<Void> pending;
        synchronized (spareLock) {
            Path spare = spares.poll();
            if (spare != null) {
                return spare;
            }
            pending = making;
        }
        if (pending != null) {
            pending.join();
            synchronized (spareLock) {
                Path spare = spares.poll();
                if (spare != null) {
                    return spare;
                }
            }
        }
        List<Path> made = make(1);
        return made.isEmpty() ? null : made.get(0);
    }

    /**
     * Makes FIFOs in the background until {@code count} wait, with one {@code mkfifo} for all of them, unless FIFOs
     * are on their way already: called before {@code count} children start side by side (a pool's workers), so that
     * they find them made while their command lines are built, rather than each waiting for a process of its own
     * while they boot and take the CPUs.
     */
    void prepare(int count) {
        if (socketsOnly()) {
            return;
        }
        synchronized (spareLock) {
            int missing = count - spares.size();
            if (closed || missing <= 0 || making != null) {
                return;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            making = done;
            Thread maker = new Thread(new SpareMaker(missing, done), "gil4j-fifo-maker");
            maker.setDaemon(true);
            maker.start();
        }
    }

    /** Makes the FIFO the next {@link #create()} takes, in the background, unless one waits or is on its way. */
    void makeSpare() {
        prepare(1);
    }

    /** A class, not a lambda: see {@code ChildMain.Preparation}. */
    private final class SpareMaker implements Runnable {
        private final int count;
        private final CompletableFuture<Void> done;

        SpareMaker(int count, CompletableFuture<Void> done) {
            this.count = count;
            this.done = done;
        }

        @Override
        public void run() {
            List<Path> made = List.of();
            boolean unwanted;
            try {
                made = make(count);
            } finally {
                synchronized (spareLock) {
                    unwanted = closed; // closed while mkfifo ran, and not waited for: nobody would remove them
                    if (!unwanted) {
                        spares.addAll(made);
                    }
                    making = null;
                }
                done.complete(null);
            }
            if (unwanted) {
                made.forEach(PrivateSockets::delete);
            }
        }
    }

    /** Whether children meet their parent on a FIFO: {@code mkfifo} has not failed, and no property says sockets. */
    boolean available() {
        return !socketsOnly();
    }

    /** Whether children use sockets: {@code mkfifo} failed before, or {@value #TRANSPORT_PROPERTY} says so. */
    private static boolean socketsOnly() {
        return unavailable || "socket".equals(Properties.get(TRANSPORT_PROPERTY, "gil4j.control", null));
    }

    /**
     * Makes nothing ahead of time any more, and removes what was (its launcher closes, or this JVM exits): a child
     * whose launch was under way would otherwise make a spare after it booted that no one removes. {@link #create()}
     * still makes a FIFO when asked. Idempotent.
     */
    void close() {
        synchronized (spareLock) {
            closed = true;
        }
        removeSpare();
    }

    /** Removes the FIFOs made ahead of time, waiting briefly for those under way. */
    void removeSpare() {
        waiting(); // those under way land first
        List<Path> left;
        synchronized (spareLock) { // taken and cleared at once: a FIFO a launch took meanwhile is its own
            left = new ArrayList<>(spares);
            spares.clear();
        }
        for (Path fifo : left) {
            PrivateSockets.delete(fifo);
        }
    }

    /** The FIFOs made ahead of time and not taken, once those under way are made (or after two seconds). */
    List<Path> waiting() {
        CompletableFuture<Void> pending;
        synchronized (spareLock) {
            pending = making;
        }
        if (pending != null) {
            pending.completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
        }
        synchronized (spareLock) {
            return new ArrayList<>(spares);
        }
    }

    /** {@code count} FIFOs, each in a private directory of its own, made by one {@code mkfifo}; none if it failed. */
    private static List<Path> make(int count) {
        List<Path> fifos = new ArrayList<>(count);
        List<String> command = new ArrayList<>(List.of("mkfifo", "-m", "600"));
        for (int i = 0; i < count; i++) {
            Path fifo = PrivateSockets.newShortLivedSocketPath("control.fifo");
            fifos.add(fifo);
            command.add(fifo.toString());
        }
        try {
            Process mkfifo = new ProcessBuilder(command).redirectErrorStream(true).start();
            mkfifo.getOutputStream().close();
            String output = new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (mkfifo.waitFor() == 0 && allFifos(fifos)) {
                return fifos;
            }
            Log.logger.debug("mkfifo failed ({}); child JVMs use AF_UNIX sockets for their control channel", output);
        } catch (IOException e) {
            Log.logger.debug("no mkfifo ({}); child JVMs use AF_UNIX sockets for their control channel", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fifos.forEach(PrivateSockets::delete);
            return List.of(); // this time only
        }
        unavailable = true;
        fifos.forEach(PrivateSockets::delete);
        return List.of();
    }

    private static boolean allFifos(List<Path> fifos) throws IOException {
        for (Path fifo : fifos) {
            if (!Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                return false;
            }
        }
        return true;
    }

    /** Opens the parent's first end, which lets both sides' opens go through at once. Call before the child opens it. */
    static FileChannel openBothWays(Path fifo) throws IOException {
        return FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * Waits for the child's HELLO with {@code token} on the FIFO, then returns its control channel; {@code null} if
     * the child exited first.
     *
     * @param bothWays what {@link #openBothWays} returned; closed when this returns
     * @throws IOException if the child did not say HELLO within the timeout, or said something else (it is killed)
     * @throws InterruptedIOException if this thread was interrupted while it waited (the child is killed)
     */
    static Frames awaitChild(Path fifo, FileChannel bothWays, Process process, String token, OutputStream stdin,
            long timeoutNanos) throws IOException {
        AtomicBoolean timedOut = new AtomicBoolean();
        process.onExit().thenRun(() -> closeQuietly(bothWays));
        CompletableFuture.runAsync(() -> {
            timedOut.set(true);
            closeQuietly(bothWays);
        }, CompletableFuture.delayedExecutor(timeoutNanos, TimeUnit.NANOSECONDS));
        try {
            FrameChannel.Frame hello = new PipeFrames(Channels.newInputStream(bothWays),
                    OutputStream.nullOutputStream()).receive(1024);
            if (!ControlProtocol.isHelloWith(hello, token)) {
                process.destroyForcibly();
                throw new IOException("the child JVM's control pipe carried something other than its greeting; it "
                        + "was killed");
            }
            FileChannel fromChild = FileChannel.open(fifo, StandardOpenOption.READ);
            // Buffered from here on (the greeting was read unbuffered: nothing after it was its reader's to take).
            return new PipeFrames(new BufferedInputStream(Channels.newInputStream(fromChild), READ_BUFFER_BYTES),
                    stdin);
        } catch (ClosedChannelException | EOFException closedBeforeHello) {
            if (!process.isAlive()) {
                return null; // it exited first, and its exit closed the pipe
            }
            process.destroyForcibly();
            if (timedOut.get()) {
                throw new IOException("the child JVM did not connect within "
                        + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s; it was killed");
            }
            InterruptedIOException interrupted = new InterruptedIOException(
                    "interrupted while waiting for the child JVM to connect; it was killed");
            interrupted.initCause(closedBeforeHello);
            throw interrupted;
        } finally {
            closeQuietly(bothWays);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
