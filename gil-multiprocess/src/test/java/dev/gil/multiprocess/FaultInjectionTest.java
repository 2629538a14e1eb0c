package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.internal.ChildOutputLinesTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
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
        Iterable<Integer> endless = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return (int) read.incrementAndGet();
            }
        };
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

    @Test
    void aTargetOverTheFrameLimitIsRefusedBeforeAnyChildStarts() {
        byte[] huge = new byte[dev.gil.multiprocess.internal.Limits.MAX_FRAME_BYTES + 1];
        long childrenBefore = ProcessHandle.current().children().count();
        JvmProcess process = new JvmProcess(() -> System.out.println(huge.length));
        assertThatThrownBy(process::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the frame limit").hasMessageContaining("no child JVM was started");
        assertThat(ProcessHandle.current().children().count()).as("no orphan").isEqualTo(childrenBefore);
        assertThatThrownBy(process::start).as("it may be tried again, and fails the same way")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anArgumentOrAResultOverTheFrameLimitFailsItsTaskAndTheWorkerLives() {
        int over = dev.gil.multiprocess.internal.Limits.MAX_FRAME_BYTES + 1;
        try (ProcessPool pool = ProcessPool.create(1)) {
            List<Long> workers = pool.workerPids();
            assertThatThrownBy(() -> pool.map((byte[] b) -> b.length, List.of(new byte[over]), 1))
                    .hasStackTraceContaining("cannot be sent to a worker")
                    .hasStackTraceContaining("over the frame limit");
            assertThatThrownBy(() -> pool.map((Integer n) -> new byte[n], List.of(over)))
                    .hasStackTraceContaining("the task's result cannot be sent back")
                    .hasStackTraceContaining("is too large to send")
                    .hasStackTraceContaining("over the frame limit");
            assertThat(pool.map((Integer x) -> x + 1, List.of(1))).containsExactly(2);
            assertThat(pool.workerPids()).as("no worker died or was replaced").isEqualTo(workers);
        }
    }
}
