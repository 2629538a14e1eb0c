package dev.gil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import dev.gil.multiprocess.Connection;
import dev.gil.multiprocess.JvmProcess;
import dev.gil.multiprocess.Pipe;
import dev.gil.multiprocess.ProcessPool;
import dev.gil.refcount.Rc;
import dev.gil.refcount.RefCountMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every Java snippet of the README, compiled and run here, as Caffeine does with its snippets: a test fails when a
 * snippet in the README is not, line for line, in this file, so a snippet cannot rot.
 */
@Timeout(120)
class ReadmeSnippetsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path THIS_FILE = Path.of("src", "test", "java", "dev", "gil", "examples",
            "ReadmeSnippetsTest.java");

    @Test
    void everyJavaSnippetOfTheReadmeIsInThisFile() throws IOException {
        List<Snippets.Snippet> snippets = Snippets.markdown(README);
        assertThat(snippets).as("Java snippets in the README").hasSizeGreaterThanOrEqualTo(5);
        Snippets.assertEachIsIn(snippets, List.of(THIS_FILE));
    }

    // -- "The lock in five lines" ---------------------------------------------------------------------------------

    static final class Demo {
        static final GlobalInterpreterLock gil = GlobalInterpreterLock.create();   // CPython's default: 5 ms interval

        public static void main(String[] args) throws InterruptedException {
            GilThread th1 = new GilThread(gil, Demo::doWork);               // th1 = Thread(target=do_work)
            th1.start();                                                    // th1.start()
            th1.join();                                                     // th1.join()
        }

        static void doWork() throws IOException {                           // a target may throw, as Python's may
            for (String item : items) {
                process(item);
                gil.checkpoint();                                  // others may run here, if the scheduler says so
            }
            String line = gil.allowThreads(() -> reader.readLine());   // released while blocked, re-taken after
            process(line);
        }

        static final List<String> items = List.of("a", "b", "c");
        static final BufferedReader reader = new BufferedReader(new StringReader("a line\n"));
        static final List<String> processed = new ArrayList<>();

        static void process(String item) {
            assertThat(gil.isHeldByCurrentThread()).isTrue();
            processed.add(item);
        }
    }

    @Test
    void theLockInFiveLines() throws InterruptedException {
        Demo.main(new String[0]);
        assertThat(Demo.processed).containsExactly("a", "b", "c", "a line");
        assertThat(Demo.gil.isLocked()).isFalse();
    }

    @Test
    void choosingWhoRunsNext() {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder()
                .scheduler(HandoffScheduler.ioPriority())   // or unfair(), fair(), switchInterval(d), eventuallyFair(d)
                .name("interpreter")
                .build();
        Lock lock = gil;                                    // a java.util.concurrent.locks.Lock, where one is expected
        Condition ready = gil.newCondition();               // Python's threading.Condition: await() lets go of every hold
        System.out.println(gil.stats());                    // acquisitions, handoffs, switches, who waited

        lock.lock();
        ready.signalAll();
        lock.unlock();
        assertThat(gil.stats().acquisitions()).isEqualTo(1);
    }

    @Test
    void processesAndPipes() throws Exception {
        Pipe pipe = Pipe.open();                            // Pipe(); Pipe.open(false): left receives, right sends
        Connection child = pipe.right();
        JvmProcess echo = new JvmProcess(() -> child.send(child.recv()));   // a captured Connection is live in the child
        echo.start();
        pipe.left().send(List.of(1, 2, 3));
        Object back = pipe.left().recv();                   // [1, 2, 3]
        echo.join();
        OptionalInt exit = echo.exitCode();                 // 0; 1 if it threw (echo.failure()), -9 after kill()

        assertThat(back).isEqualTo(List.of(1, 2, 3));
        assertThat(exit).hasValue(0);
        echo.close();
        pipe.left().close();
    }

    @Test
    void pools() {
        Iterable<Integer> endless = () -> IntStream.iterate(1, i -> i + 1).iterator();
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            try (ProcessPool pool = ProcessPool.create(2)) {
                List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));   // [1, 4, 9], in input order
                for (int square : pool.imap(x -> x * x, endless)) {              // lazy, with a bounded read-ahead
                    if (square > 100) {
                        break;                                                    // close() cancels what is left
                    }
                }
                CompletableFuture<Integer> answer = pool.applyAsync(x -> x + 1, 41);
                System.out.println(squares + " " + answer.join());                // [1, 4, 9] 42
            }
        } finally {
            System.setOut(original);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("[1, 4, 9] 42");
    }

    @Test
    void referenceCounting() {
        List<StringBuilder> freed = new ArrayList<>();

        try (Rc<StringBuilder> rc = Rc.of(new StringBuilder(), freed::add, RefCountMode.ATOMIC)) {   // count = 1
            Rc<StringBuilder> forWorker = rc.retain();                                          // count = 2
            forWorker.get().append("used by another owner");
            forWorker.close();                                                                  // count = 1
        }                                                                                       // 0: freed, once

        assertThat(freed).hasSize(1);
        assertThat(freed.get(0)).hasToString("used by another owner");
    }
}
