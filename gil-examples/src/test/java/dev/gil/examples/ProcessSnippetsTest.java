package dev.gil.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.cluster.ClusterPool;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import dev.gil.multiprocess.AbstractTaskPool;
import dev.gil.multiprocess.BufferTooShortException;
import dev.gil.multiprocess.ClassAllowList;
import dev.gil.multiprocess.Connection;
import dev.gil.multiprocess.JvmProcess;
import dev.gil.multiprocess.Pipe;
import dev.gil.multiprocess.ProcessContext;
import dev.gil.multiprocess.ProcessPool;
import dev.gil.multiprocess.ProcessPoolExecutor;
import dev.gil.multiprocess.ProcessQueue;
import dev.gil.multiprocess.ResultIterator;
import dev.gil.multiprocess.SerializableBiFunction;
import dev.gil.multiprocess.SerializableFunction;
import dev.gil.multiprocess.SerializableRunnable;
import dev.gil.multiprocess.TaskFailedException;
import dev.gil.multiprocess.TaskPool;
import dev.gil.multiprocess.WorkerDiedException;
import dev.gil.python.PythonGil;
import dev.gil.python.PythonRunner;
import dev.gil.python.SeedPrograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Javadoc snippets of {@code gil-multiprocess}, {@code gil-cluster} and {@code gil-python}, compiled and run; {@link JavadocSnippetsTest}
 * checks that each snippet is here line for line. Children and workers are real JVMs.
 */
@Timeout(300)
class ProcessSnippetsTest {
    private final List<Object> handled = new ArrayList<>();

    static final class Demo {
        static void doWork() {
            System.out.println("doWork ran in pid " + ProcessHandle.current().pid());
        }
    }

    static final class Work {
        static long count(long n) {
            long sum = 0;
            for (long i = 0; i < n; i++) {
                sum += i & 1;
            }
            return sum;
        }

        static void cleanUp() {
            System.out.println("cleaned up");
        }

        static int crashy(int x) {
            Runtime.getRuntime().halt(3);
            return x;
        }
    }

    static final class Worker {
        static void loadModel() {
            System.out.println("model loaded");
        }
    }

    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    // -- JvmProcess, Pipe, Connection, ProcessQueue ----------------------------------------------------------------

    @Test
    void aChildProcess() throws Exception {
        JvmProcess pr1 = new JvmProcess(Demo::doWork);     // pr1 = Process(target=do_work)
        pr1.start();                                       // pr1.start()
        pr1.join();                                        // pr1.join()
        System.out.println(pr1.exitCode());                // OptionalInt[0]
        assertThat(pr1.exitCode()).hasValue(0);

        JvmProcess worker = JvmProcess.builder(Demo::doWork)
                .name("w1").daemon(true).jvmOptions("-Xmx64m")
                .build();
        worker.start();
        worker.join();
        assertThat(worker.exitCode()).hasValue(0);
        assertThat(worker.name()).isEqualTo("w1");
    }

    @Test
    void aChildsResult() throws Exception {
        JvmProcess child = new JvmProcess(() -> fib(30));
        child.start();
        child.join();
        long answer = (Long) child.result();
        assertThat(answer).isEqualTo(832_040L);
    }

    @Test
    void aChildThatPrints() throws Exception {
        JvmProcess child = new JvmProcess(() -> System.out.println("hello from " + ProcessHandle.current().pid()));
        child.start();
        child.join();
        assertThat(child.exitCode()).hasValue(0);
    }

    @Test
    void aChildThatThrows() throws Exception {
        JvmProcess child = new JvmProcess((SerializableRunnable) () -> {
            throw new IllegalStateException("on purpose");
        });
        child.start();
        child.join();
        child.failure().ifPresent(e -> System.err.println("child failed: " + e));
        child.failure().ifPresent(handled::add);
        assertThat(handled).singleElement().asString().contains("IllegalStateException", "on purpose");
        assertThat(child.exitCode()).hasValue(1);
    }

    @Test
    void aWarmStartAndAContextOfItsOwn() throws Exception {
        ProcessContext.defaultContext().prepareWarmStandby(Duration.ofSeconds(10));  // at a quiet moment
        JvmProcess.builder(Demo::doWork).warmStart(true).build().start();            // runs within milliseconds

        try (ProcessContext own = ProcessContext.create()) {                 // a context of its own, say per test
            JvmProcess child = JvmProcess.builder(Demo::doWork).context(own).build();
            child.start();
            assertThat(own.activeChildren()).contains(child); // (test)
            assertThat(ProcessContext.defaultContext().activeChildren()).doesNotContain(child); // (test)
            child.join();
            assertThat(child.exitCode()).hasValue(0); // (test)
        }                                                                            // its standby JVM is gone
        ProcessContext.defaultContext().stopWarmStandby(); // (test)
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTaskPoolOfOnesOwn() {
        class InThisJvm extends AbstractTaskPool {                       // a pool for tests: chunks run at once, here
            @Override
            protected CompletableFuture<Object[]> submit(Object function, boolean pairs, Object[] arguments,
                    long firstItem) {
                SerializableFunction<Object, Object> fn = (SerializableFunction<Object, Object>) function;
                Object[] results = new Object[arguments.length];
                try {
                    for (int i = 0; i < results.length; i++) {
                        results[i] = fn.apply(arguments[i]);
                    }
                } catch (Exception e) {
                    return CompletableFuture.failedFuture(e);                   // the chunk fails as a whole
                }
                return CompletableFuture.completedFuture(results);
            }

            @Override
            protected int parallelism() {
                return 1;
            }

            @Override
            public void close() {
                cancelStillReading();
            }

            @Override
            public void terminate() {
                close();
            }
        }
        try (TaskPool pool = new InThisJvm()) { // (test)
            assertThat(pool.map(x -> x * 2, List.of(1, 2, 3))).isEqualTo(List.of(2, 4, 6)); // (test)
            assertThat(pool.<Integer, Integer>apply(x -> x + 1, 41)).isEqualTo(42); // (test)
            assertThat(pool.imap(x -> x * 3, List.of(1, 2)).next()).isEqualTo(3); // (test)
            assertThatThrownBy(() -> pool.map(x -> 10 / x, List.of(1, 0))) // (test)
                    .isInstanceOf(TaskFailedException.class).hasMessageContaining("task #1") // (test)
                    .hasCauseInstanceOf(ArithmeticException.class); // (test)
        } // (test)
    }

    @Test
    void aPipeToAChild() throws Exception {
        Pipe pipe = Pipe.open();
        Connection parent = pipe.left(), child = pipe.right();
        JvmProcess worker = new JvmProcess(() -> child.send("hello from the child"));
        worker.start();
        System.out.println(parent.recv());   // hello from the child
        worker.join();
        assertThat(worker.exitCode()).hasValue(0);
        parent.close();
    }

    @Test
    void aConnectionsCalls() throws Exception {
        Pipe pipe = Pipe.open();
        Connection connection = pipe.left();
        Connection peer = pipe.right();
        Thread echo = new Thread(() -> {
            try {
                peer.send(peer.recv());
                peer.sendBytes(peer.recvBytes());
                peer.send("and one more");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        echo.start();
        byte[] data = {1, 2, 3, 4};
        int n = 3;

        connection.send(List.of(1, 2, 3));
        Object reply = connection.recv();
        connection.sendBytes(data, 0, n);
        byte[] raw = connection.recvBytes();
        echo.join(); // the peer has sent its last message, so the poll below cannot time out       // (test)
        if (connection.poll(Duration.ofSeconds(1))) {   // a message came within a second
            handle(connection.recv());
        }

        assertThat(reply).isEqualTo(List.of(1, 2, 3));
        assertThat(raw).containsExactly(1, 2, 3);
        assertThat(handled).containsExactly("and one more");
        connection.close();
        peer.close();
    }

    @Test
    void aMessageLongerThanTheBuffer() throws Exception {
        Pipe pipe = Pipe.open();
        Connection connection = pipe.left();
        pipe.right().sendBytes(new byte[64]);
        byte[] buffer = new byte[8];
        try {
            int n = connection.recvBytesInto(buffer, 0);
        } catch (BufferTooShortException e) {
            handle(e.message());
        }
        assertThat(handled).singleElement().satisfies(message -> assertThat((byte[]) message).hasSize(64));
        connection.close();
        pipe.right().close();
    }

    private void handle(Object message) {
        handled.add(message);
    }

    @Test
    void anAllowListForALibrarysClasses() throws Exception {
        ClassAllowList.allow("com.example.orders.**");        // a package and its subpackages
        ClassAllowList.allow("com.google.common.collect.*");  // one package: Guava's immutable collections
        Pipe pipe = Pipe.open(); // (test)
        pipe.left().send(com.google.common.collect.ImmutableList.of("a", "b")); // (test)
        assertThat(pipe.right().recv()).isEqualTo(List.of("a", "b")); // (test)
        assertThatThrownBy(() -> ClassAllowList.allow("maxdepth=5")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProcessQueue() throws Exception {
        ProcessQueue<String> queue = ProcessQueue.create(100);         // q = Queue(maxsize=100)
        JvmProcess producer = new JvmProcess(() -> queue.put("hello from " + ProcessHandle.current().pid()));
        producer.start();
        System.out.println(queue.get());                               // q.get()
        producer.join();
        assertThat(producer.exitCode()).hasValue(0);
        queue.close();
    }

    // -- Pools --------------------------------------------------------------------------------------------------------

    @Test
    void aPoolInTryWithResources() throws Exception {
        List<Integer> hugeInput = IntStream.rangeClosed(1, 1_000).boxed().collect(Collectors.toList());
        long total = 0;
        try (ProcessPool pool = ProcessPool.create(2)) {                     // with Pool(2) as pool:
            List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));  //     pool.map(square, [1, 2, 3])
            CompletableFuture<Long> big = pool.applyAsync(Work::count, 50_000_000L);
            for (int square : pool.imap(x -> x * x, hugeInput)) {           //     lazy, bounded read-ahead
                total += square;
            }
            assertThat(squares).containsExactly(1, 4, 9);                                         // (test)
            assertThat(big.join()).isEqualTo(25_000_000L);                                        // (test)
        }                                                                    // close(): finish, then stop the workers
        assertThat(total).isEqualTo(333_833_500L);

        try (TaskPool pool = ProcessPool.create(4)) {
            List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));   // [1, 4, 9]
            assertThat(squares).containsExactly(1, 4, 9);                                         // (test)
        }
    }

    @Test
    void aPoolsCallsAndFailures() throws Exception {
        List<Integer> hugeInput = List.of(1, 2, 3, 4, 5);
        ProcessPool pool = ProcessPool.builder()
                .processes(4)
                .initializer(Worker::loadModel)      // runs once in each worker before its first task
                .maxTasksPerChild(1000)              // recycle workers that leak
                .jvmOptions("-Xmx256m")
                .build();
        try (pool) {
            List<Integer> powers = pool.starmap((b, e) -> (int) Math.pow(b, e), List.of(Map.entry(2, 10), Map.entry(3, 3)));
            assertThat(powers).containsExactly(1024, 27);

            List<Integer> printed = new ArrayList<>();
            try (ResultIterator<Integer> squares = pool.imap(x -> x * x, hugeInput)) {
                for (int square : squares) {
                    System.out.println(square);
                    printed.add(square);                                                          // (test)
                }
            }
            assertThat(printed).containsExactly(1, 4, 9, 16, 25);

            Throwable[] caught = new Throwable[1];
            try {
                pool.map(x -> 10 / x, List.of(1, 0, 2));
            } catch (TaskFailedException e) {
                System.err.println(e.getMessage());        // task #1 failed: java.lang.ArithmeticException: / by zero
                Throwable inWorker = e.getCause();          // the ArithmeticException, with the worker's stack trace
                caught[0] = inWorker;                                                             // (test)
            }
            assertThat(caught[0]).isInstanceOf(ArithmeticException.class);

            CompletableFuture<Integer> f = pool.applyAsync(Work::crashy, 7);
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WorkerDiedException died) {
                    System.err.println(died.workerName() + " pid " + died.pid() + " exit " + died.exitCode());
                    caught[0] = died;                                                             // (test)
                }
            }
            assertThat(caught[0]).isInstanceOf(WorkerDiedException.class);
            assertThat(((WorkerDiedException) caught[0]).exitCode()).hasValue(3);
        }
    }

    @Test
    void functionsThatCanTravel() {
        SerializableFunction<Integer, Integer> square = x -> x * x;
        SerializableBiFunction<Integer, Integer, Integer> power = (base, exponent) -> (int) Math.pow(base, exponent);
        try (ProcessPool pool = ProcessPool.create(1)) {
            assertThat(pool.map(square, List.of(3))).containsExactly(9);
            assertThat(pool.starmap(power, List.of(Map.entry(2, 3)))).containsExactly(8);
        }
    }

    @Test
    void anExecutorService() throws Exception {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(4)) {
            Future<Long> count = executor.submit(() -> Work.count(50_000_000L));
            executor.submit((SerializableRunnable) () -> Work.cleanUp());
            System.out.println(count.get());
            assertThat(count.get()).isEqualTo(25_000_000L);                                       // (test)
        }
    }

    // -- gil-cluster ------------------------------------------------------------------------------------------------

    @Test
    void theSameCallsOnACluster() throws Exception {
        List<Integer> inputs = List.of(1, 2, 3);
        TaskPool onThisMachine = ProcessPool.create(2);                          // one machine
        ClusterPool cluster = ClusterPool.builder().localMembers(2).build();      // a 2-member cluster on this machine
        TaskPool joined = ClusterPool.builder()                                   // an existing cluster, from any JVM:
                .join(cluster.addresses()).clusterName(cluster.clusterName())     // "10.0.0.5:5701", "prod"
                .build();
        List<Integer> squares = joined.map(x -> x * x, inputs);                   // the same calls on each
        try {
            assertThat(squares).containsExactly(1, 4, 9);
            assertThat(onThisMachine.map(x -> x * x, inputs)).isEqualTo(squares);
            assertThat(cluster.map(x -> x * x, inputs)).isEqualTo(squares);
            assertThat(cluster.addresses()).hasSize(2);
        } finally {
            joined.close();
            cluster.close();
            onThisMachine.close();
        }
        ClusterPool pool = ClusterPool.builder().maxAttempts(3).build();   // or .localMembers(2), .join(addresses)
        try (pool) {
            assertThat(pool.<Integer, Integer>map(x -> x + 1, inputs)).containsExactly(2, 3, 4);
        }
    }

    // -- gil-python ---------------------------------------------------------------------------------------------------

    static int runTheProgramThreeWays() throws Exception {
        Path program = SeedPrograms.extract("threads.py");   // or any .py file
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair()).build();
        int exit = PythonRunner.underLock(gil).run(program);   // in a JVM started with javaagentOption()
        int free = PythonRunner.withoutLock().run(program);
        int child = PythonRunner.runInChildJvm(program, PythonGil.FAIR);   // from any JVM
        return exit * 100 + free * 10 + child;
    }

    @Test
    void aPythonProgramThreeWays() throws Exception {
        JvmProcess withTheAgent = JvmProcess.builder(ProcessSnippetsTest::runTheProgramThreeWays)
                .jvmOptions(PythonRunner.javaagentOption()).build();
        withTheAgent.start();
        withTheAgent.join();
        assertThat(withTheAgent.failure()).isEmpty();
        assertThat(withTheAgent.result()).as("exit statuses under the lock, without it, in a child").isEqualTo(0);

        Path race = SeedPrograms.extract("race.py");
        int status = PythonRunner.runInChildJvm(race, PythonGil.SWITCH_INTERVAL);
        assertThat(status).isZero();
    }

    @Test
    void aPythonRunTracedForPerfetto(@TempDir Path dir) throws Exception {
        Path program = SeedPrograms.extract("phone_booth.py");
        int status = PythonRunner.traceInChildJvm(program, PythonGil.SWITCH_INTERVAL, dir.resolve("python.json"));
        assertThat(status).isZero();
        String trace = Files.readString(dir.resolve("python.json"));
        assertThat(trace).contains("traceEvents", "holding the GIL", "Thread-");
        assertThatThrownBy(() -> PythonRunner.traceInChildJvm(program, PythonGil.OFF, dir.resolve("off.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no lock to trace");
    }
}
