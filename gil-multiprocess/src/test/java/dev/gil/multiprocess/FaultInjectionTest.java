package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.contract.TaskPoolContract;
import dev.gil.multiprocess.internal.launch.ChildOutputLinesTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults and bad input on purpose, as CPython's {@code _test_multiprocessing} does: each must end in an exception
 * that names the cause, within a bounded time, with nothing left running.
 */
@Timeout(120)
class FaultInjectionTest {

    @Test
    void leavingAnImapLoopWithBreakDoesNotHangClose() {
        AtomicLong read = new AtomicLong();
        Iterable<Integer> endless = TaskPoolContract.endless(read);
        ResultIterator<Integer> abandoned;
        ProcessPool pool = ProcessPool.create(2);
        try (pool) {
            abandoned = pool.imap(x -> x * 2, endless);
            for (int doubled : abandoned) {
                if (doubled >= 20) {
                    break; // the natural idiom: the iterator is never closed
                }
            }
        } // close() must return: the abandoned imap is cancelled
        assertThat(pool.isTerminated()).isTrue();
        long readAtClose = read.get();
        assertThatThrownBy(abandoned::next).isInstanceOf(CancellationException.class)
                .hasMessageContaining("pool was closed");
        assertThat(read.get()).as("no input read after the pool closed").isEqualTo(readAtClose);
    }

    /** In the child: 100,000 characters and no newline. */
    static void writeWithoutNewlines() {
        String thousand = "x".repeat(1_000);
        for (int i = 0; i < 100; i++) {
            System.out.print(thousand);
        }
        System.out.flush();
    }

    @Test
    void aChildThatNeverWritesANewlineIsForwardedInBoundedLines() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (JvmProcess child = new JvmProcess(FaultInjectionTest::writeWithoutNewlines)) {
            child.start();
            child.join();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (count(captured, 'x') < 100_000 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the output pump may still be copying the child's last lines
            }
        } finally {
            System.setOut(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("x")).toList();
        assertThat(count(captured, 'x')).as("nothing lost").isEqualTo(100_000);
        assertThat(lines).hasSizeGreaterThan(1)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(ChildOutputLinesTest.MAX));
    }

    private static long count(ByteArrayOutputStream out, char c) {
        return out.toString(StandardCharsets.UTF_8).chars().filter(ch -> ch == c).count();
    }

    /** The frame limit in the JVMs of the tests below: small, so that going over it costs little memory. */
    private static final int SMALL_LIMIT = 8 << 20;

    /** Runs {@code scenario} in a JVM whose frame limit is {@link #SMALL_LIMIT}; returns what it returned. */
    private static String withASmallFrameLimit(SerializableCallable<String> scenario) throws Exception {
        try (JvmProcess child = JvmProcess.builder(scenario)
                .jvmOptions("-D" + dev.gil.multiprocess.internal.Limits.MAX_FRAME_PROPERTY + "=" + SMALL_LIMIT)
                .build()) {
            child.start();
            child.join();
            assertThat(child.failure()).isEmpty();
            return (String) child.result();
        }
    }

    /** In a child: what start() says of a target over the limit, and how many children it left. */
    static String startATargetOverTheLimit() {
        byte[] huge = new byte[dev.gil.multiprocess.internal.Limits.MAX_FRAME_BYTES + 1];
        JvmProcess process = new JvmProcess(() -> System.out.println(huge.length));
        StringBuilder said = new StringBuilder();
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                process.start();
                said.append("started!");
            } catch (IllegalArgumentException e) {
                said.append(e.getMessage()).append('\n');
            }
        }
        return said + "children=" + ProcessHandle.current().children().count();
    }

    @Test
    void aTargetOverTheFrameLimitIsRefusedBeforeAnyChildStarts() throws Exception {
        String said = withASmallFrameLimit(FaultInjectionTest::startATargetOverTheLimit);
        assertThat(said).contains("over the frame limit of " + SMALL_LIMIT, "no child JVM was started")
                .doesNotContain("started!").endsWith("children=0");
    }

    /** In a child whose pool workers inherit its small limit: an argument, then a result, over it. */
    static String overTheLimitInAPool() {
        int over = dev.gil.multiprocess.internal.Limits.MAX_FRAME_BYTES + 1;
        StringBuilder said = new StringBuilder();
        try (ProcessPool pool = ProcessPool.create(1)) {
            List<Long> workers = pool.workerPids();
            try {
                pool.map((byte[] b) -> b.length, List.of(new byte[over]), 1);
            } catch (RuntimeException e) {
                said.append("argument: ").append(e.getMessage()).append('\n');
            }
            try {
                pool.map((Integer n) -> new byte[n], List.of(over));
            } catch (RuntimeException e) {
                said.append("result: ").append(e.getMessage()).append('\n');
            }
            said.append("then: ").append(pool.map((Integer x) -> x + 1, List.of(1))).append('\n');
            said.append("same workers: ").append(pool.workerPids().equals(workers));
        }
        return said.toString();
    }

    @Test
    void anArgumentOrAResultOverTheFrameLimitFailsItsTaskAndTheWorkerLives() throws Exception {
        String said = withASmallFrameLimit(FaultInjectionTest::overTheLimitInAPool);
        assertThat(said).contains("argument: ", "cannot be sent to a worker", "over the frame limit of " + SMALL_LIMIT)
                .contains("result: ", "the task's result cannot be sent back", "is too large to send")
                .contains("then: [2]", "same workers: true");
    }

    @Test
    void aPollWithATimeoutTooLongForNanosecondsWaitsInsteadOfOverflowing() throws Exception {
        Pipe pipe = Pipe.open();
        java.util.concurrent.CountDownLatch polling = new java.util.concurrent.CountDownLatch(1);
        Thread sender = new Thread(() -> {
            try {
                polling.await();
                pipe.left().send("late");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        sender.start();
        polling.countDown();
        assertThat(pipe.right().poll(java.time.Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
        assertThat(pipe.right().recv()).isEqualTo("late");
        sender.join();
        pipe.left().close();
        pipe.right().close();
    }

    @Test
    void aConnectionInterruptedInRecvSaysWhetherItIsClosed() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.left().send("first"); // establish the connection before the interrupt
        assertThat(pipe.right().recv()).isEqualTo("first");
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread receiver = new Thread(() -> {
            try {
                pipe.right().recv();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        receiver.start();
        while (receiver.getState() == Thread.State.NEW) {
            Thread.onSpinWait();
        }
        receiver.interrupt();
        receiver.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(30));
        if (thrown.get() == null) {
            return; // the receive took no interrupt (it was not blocked yet): nothing to check
        }
        if (pipe.right().isClosed()) {
            assertThatThrownBy(() -> pipe.right().recv()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        } else {
            pipe.left().send("still open");
            assertThat(pipe.right().recv()).isEqualTo("still open");
        }
        pipe.left().close();
    }

    /** In the child: a SIGTERM is caught by a shutdown hook that never ends. */
    static void ignoreTerminate(String marker) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(marker), "hook");
                Thread.sleep(Long.MAX_VALUE);
            } catch (Exception e) {
                // killed
            }
        }));
        java.nio.file.Files.writeString(java.nio.file.Path.of(marker + ".ready"), "ready");
        Thread.sleep(Long.MAX_VALUE);
    }

    @Test
    void terminateThenKillOfAChildThatCaughtTheTerminateReadsMinusNine(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        String marker = dir.resolve("marker").toString();
        try (JvmProcess child = new JvmProcess(() -> ignoreTerminate(marker))) {
            child.start();
            awaitFile(java.nio.file.Path.of(marker + ".ready"));
            child.terminate();
            awaitFile(java.nio.file.Path.of(marker)); // the hook runs: the SIGTERM was caught, and reported
            child.kill();
            child.join();
            assertThat(child.exitCode()).hasValue(-9);
        }
    }

    private static void awaitFile(java.nio.file.Path file) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!java.nio.file.Files.exists(file)) {
            assertThat(System.nanoTime() - deadline).as("%s appeared", file).isNegative();
            Thread.onSpinWait();
        }
    }

    @Test
    void aJvmOptionTheWorkerRefusesIsNamedAsSuchNotAsAnInitializer() {
        assertThatThrownBy(() -> ProcessPool.builder().processes(1).jvmOptions("-XX:+NoSuchOptionAnywhere").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("JVM option")
                .hasMessageNotContaining("initializer");
    }

    @Test
    void aMessageOfAKindNoConnectionSendsIsNamedAsSuch() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.left().send("established");
        assertThat(pipe.right().recv()).isEqualTo("established");
        java.lang.reflect.Field frames = Connection.class.getDeclaredField("frames");
        frames.setAccessible(true);
        ((dev.gil.multiprocess.internal.channel.FrameChannel) frames.get(pipe.left())).send((byte) 99, new byte[3], 0, 3);
        assertThatThrownBy(() -> pipe.right().recv()).isInstanceOf(java.io.InvalidObjectException.class)
                .hasMessageContaining("unknown kind 99").hasMessageNotContaining("sendBytes");
        pipe.left().sendBytes(new byte[] {1, 2});
        assertThatThrownBy(() -> pipe.right().recv()).hasMessageContaining("sent with sendBytes()");
        pipe.left().close();
        pipe.right().close();
    }
}
