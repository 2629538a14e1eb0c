package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.contract.TaskPoolContract;
import dev.gil.multiprocess.internal.pool.Dispatcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of {@link ProcessPool}. One shared 2-worker pool, and pools of their own for the destructive tests. */
class ProcessPoolTest extends TaskPoolContract {
    private static ProcessPool shared;

    @Override
    protected TaskPool pool() {
        return shared;
    }

    @BeforeAll
    static void startSharedPool() {
        shared = ProcessPool.builder().processes(2).name("shared").build();
    }

    @AfterAll
    static void closeSharedPool() {
        shared.close();
        assertThat(shared.isTerminated()).isTrue();
    }

    // -- results and their order -------------------------------------------------------------------------------------

    @Test
    void valuesOfEveryKindCrossBothWays() {
        assertThat(shared.<Long, Long>map(x -> x + 1, List.of(1L, Long.MAX_VALUE - 1))).containsExactly(2L,
                Long.MAX_VALUE);
        assertThat(shared.<String, String>map(s -> s + "!", List.of("", "héllo", "日本"))).containsExactly("!",
                "héllo!", "日本!");
        assertThat(shared.<Double, Double>map(d -> d / 2, List.of(1.0, -0.0))).containsExactly(0.5, -0.0);
        List<Object> mixed = new ArrayList<>(List.of(1, "two", List.of(3)));
        mixed.add(null);
        assertThat(shared.<Object, Object>map(x -> x, mixed)).isEqualTo(mixed);
        assertThat(shared.<Integer, Object>map(x -> x % 2 == 0 ? null : x, range(4))).containsExactly(null, 1,
                null, 3);
    }

    @Test
    void manySmallResultsQueuedBackToBackArriveWholeAndInOrder() {
        // Chunks of one: workers answer faster than the parent reads, so many frames wait in one read's buffer,
        // some of them cut across two reads; with strings of growing length no two frames have the same size.
        List<Integer> input = range(5_000);
        List<String> expected = new ArrayList<>();
        for (int i : input) {
            expected.add("x".repeat(i % 97) + i);
        }
        assertThat(shared.<Integer, String>map(i -> "x".repeat(i % 97) + i, input, 1)).isEqualTo(expected);
    }

    @Test
    void starmapPassesBothArguments() {
        List<Map.Entry<Integer, String>> pairs = List.of(Map.entry(2, "a"), Map.entry(0, "b"), Map.entry(3, "c"));
        assertThat(shared.<Integer, String, String>starmap((n, s) -> s.repeat(n), pairs)).containsExactly("aa", "",
                "ccc");
        assertThat(shared.<Integer, String, String>starmap((n, s) -> s + n, pairs, 1)).containsExactly("a2", "b0",
                "c3");
    }

    @Test
    void emptyInputGivesAnEmptyResultFromEveryVariant() {
        List<Integer> none = List.of();
        assertThat(shared.<Integer, Integer>map(x -> x, none)).isEmpty();
        assertThat(shared.<Integer, Integer>map(x -> x, none, 5)).isEmpty();
        assertThat(shared.<Integer, Integer>imap(x -> x, none).hasNext()).isFalse();
        assertThat(shared.<Integer, Integer>imap(x -> x, none, 3).hasNext()).isFalse();
        assertThat(shared.<Integer, Integer>imapUnordered(x -> x, none).hasNext()).isFalse();
        assertThat(shared.<Integer, Integer, Integer>starmap(Integer::sum, List.<Map.Entry<Integer, Integer>>of()))
                .isEmpty();
        ResultIterator<Integer> empty = shared.imap(x -> x, none);
        assertThatThrownBy(empty::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void applyAndApplyAsyncRunInAWorker() throws Exception {
        long parent = ProcessHandle.current().pid();
        long pid = shared.<Integer, Long>apply(x -> ProcessHandle.current().pid(), 0);
        assertThat(pid).isNotEqualTo(parent).isIn(shared.workerPids());
        CompletableFuture<String> future = shared.applyAsync(s -> s.toUpperCase(), "async");
        assertThat(future.get(1, TimeUnit.MINUTES)).isEqualTo("ASYNC");
    }

    @Test
    void manyThreadsMapAtOnce() throws Exception {
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * 1000;
            runs.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int round = 0; round < 25; round++) {
                    List<Integer> input = IntStream.range(offset, offset + 200).boxed().collect(Collectors.toList());
                    List<Integer> out = shared.map(x -> x + 1, input, 1 + round % 5);
                    assertThat(out).isEqualTo(input.stream().map(x -> x + 1).collect(Collectors.toList()));
                }
            }));
        }
        CompletableFuture.allOf(runs.toArray(new CompletableFuture<?>[0])).get(2, TimeUnit.MINUTES);
    }

    // -- errors ------------------------------------------------------------------------------------------------------

    @Test
    void aFailureDeepInALargeChunkNamesItsOwnItem() {
        List<Integer> input = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            input.add(i == 200 ? 0 : 1); // the worker applies the function in blocks: item 200 is in the fourth
        }
        assertThatThrownBy(() -> shared.<Integer, Integer>map(PoolTargets::inverse, input, 300))
                .isInstanceOf(TaskFailedException.class).hasMessageContaining("task #200 ");
    }

    @Test
    void aTasksExceptionComesBackWithItsClassMessageAndTheWorkersStack() {
        assertThatThrownBy(() -> shared.<Integer, Integer>map(PoolTargets::inverse, List.of(1, 0, 2)))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("task #1")
                .hasMessageContaining("/ by zero")
                .cause().isInstanceOf(ArithmeticException.class)
                .satisfies(e -> assertThat(e.getStackTrace()).anyMatch(f -> f.getMethodName().equals("inverse")));
        CompletableFuture<Integer> future = shared.applyAsync(PoolTargets::inverse, 0);
        assertThatThrownBy(() -> future.get(1, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> shared.apply(PoolTargets::inverse, 0)).isInstanceOf(TaskFailedException.class)
                .cause().isInstanceOf(ArithmeticException.class);
    }

    @Test
    void anExceptionThatCannotCrossComesBackAsAChildExceptionNamingItsClass() {
        assertThatThrownBy(() -> shared.apply(PoolTargets::failUnserializably, "no way"))
                .isInstanceOf(TaskFailedException.class)
                .cause().isInstanceOf(ChildException.class).hasMessage("no way")
                .satisfies(e -> assertThat(((ChildException) e).originalClassName())
                        .isEqualTo(Targets.Unserializable.class.getName()));
    }

    @Test
    void unserializableArgumentsAndResultsFailTheirTaskAndTheWorkersSurvive() {
        List<Long> pidsBefore = shared.workerPids();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> shared.apply(x -> x.toString(), new Object()))
                    .isInstanceOf(TaskFailedException.class)
                    .cause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Object").hasMessageContaining("cannot be sent to a worker");
            assertThatThrownBy(() -> shared.apply(x -> new Object(), 1))
                    .isInstanceOf(TaskFailedException.class)
                    .cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("result cannot be sent back").hasMessageContaining("java.lang.Object");
        }
        assertThatThrownBy(() -> shared.map(x -> x, List.of(1, new Object(), 3), 1))
                .isInstanceOf(TaskFailedException.class).hasMessageContaining("task #1");
        assertThat(shared.<Integer, Integer>map(x -> x * 2, range(10))).isEqualTo(
                range(10).stream().map(x -> x * 2).collect(Collectors.toList()));
        assertThat(shared.workerPids()).containsExactlyInAnyOrderElementsOf(pidsBefore);
    }

    @Test
    void aFunctionThatCannotBeSerializedIsRefusedAtTheCall() {
        Object notSerializable = new Object();
        assertThatThrownBy(() -> shared.map(x -> notSerializable.hashCode() + x, range(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
    }

    @Test
    void badArgumentsNameTheValue() {
        assertThatThrownBy(() -> ProcessPool.create(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> ProcessPool.create(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3");
        assertThatThrownBy(() -> ProcessPool.builder().maxTasksPerChild(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTasksPerChild")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> shared.map(x -> x, range(3), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunksize").hasMessageContaining("0");
        assertThatThrownBy(() -> shared.imap(x -> x, range(3), -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> shared.map(null, range(3))).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("fn");
        assertThatThrownBy(() -> shared.map(x -> x, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("items");
        assertThatThrownBy(() -> shared.applyAsync(null, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void imapOverAnEndlessInputReadsABoundedAmountAhead() {
        AtomicLong read = new AtomicLong();
        Iterable<Integer> endless = TaskPoolContract.endless(read);
        int chunksize = 3;
        try (ResultIterator<Integer> results = shared.imap(x -> x + 1, endless, chunksize)) {
            for (int i = 0; i < 2000; i++) {
                assertThat(results.next()).isEqualTo(i + 1);
                long bound = (long) (i / chunksize + 1 + Dispatcher.readAhead(shared.processes())) * chunksize;
                assertThat(read.get()).isLessThanOrEqualTo(bound);
            }
        }
        long readAtClose = read.get();
        assertThat(shared.<Integer, Integer>map(x -> x, range(5))).isEqualTo(range(5));
        assertThat(read.get()).isEqualTo(readAtClose);
    }

    @Test
    void nextWithATimeoutThrowsTimeoutExceptionAndCanGoOn() throws Exception {
        try (ProcessPool pool = ProcessPool.create(1)) {
            ResultIterator<Integer> slow = pool.imap(PoolTargets::sleepThenEcho, List.of(1500, 1));
            assertThatThrownBy(() -> slow.next(Duration.ofMillis(100))).isInstanceOf(TimeoutException.class);
            assertThat(slow.next(Duration.ofMinutes(1))).isEqualTo(1500);
            assertThat(slow.next(Duration.ofMinutes(1))).isEqualTo(1);
            CompletableFuture<Integer> later = pool.applyAsync(PoolTargets::sleepThenEcho, 1500);
            assertThatThrownBy(() -> later.get(100, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(later.get(1, TimeUnit.MINUTES)).isEqualTo(1500);
        }
    }

    @Test
    void interruptingMapCancelsTheRestOfItsWork(@TempDir Path dir) throws Exception {
        try (ProcessPool pool = ProcessPool.create(1)) {
            String markers = dir.toString();
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    pool.map(i -> PoolTargets.markThenSleep(markers, i, 50), range(400), 1);
                } catch (Throwable t) {
                    outcome.set(t);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            caller.start();
            PoolTargets.awaitMarkers(dir, 1);
            caller.interrupt();
            caller.join(TimeUnit.MINUTES.toMillis(1));
            assertThat(outcome.get()).isInstanceOf(CancellationException.class);
            assertThat(stillInterrupted.get()).isTrue();
            assertThat(pool.<Integer, Integer>apply(x -> x + 1, 1)).isEqualTo(2); // queued behind what was not withdrawn
            assertThat(PoolTargets.markerCount(dir)).isLessThan(100);
        }
    }

    // -- workers dying and being replaced ----------------------------------------------------------------------------

    @Test
    void aKilledWorkerFailsOnlyItsTaskWhichNamesItAndThePoolReplacesIt(@TempDir Path dir) throws Exception {
        try (ProcessPool pool = ProcessPool.create(2)) {
            String markers = dir.toString();
            ResultIterator<Integer> results = pool.imapUnordered(i -> PoolTargets.markThenSleep(markers, i, 400),
                    range(8));
            long victim = PoolTargets.awaitMarkers(dir, 1).get(0);
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            List<Integer> completed = new ArrayList<>();
            List<WorkerDiedException> died = new ArrayList<>();
            while (results.hasNext()) {
                try {
                    completed.add(results.next());
                } catch (WorkerDiedException e) {
                    died.add(e);
                }
            }
            assertThat(died).hasSize(1);
            assertThat(died.get(0).pid()).isEqualTo(victim);
            assertThat(died.get(0).exitCode()).hasValue(-9);
            assertThat(died.get(0).workerName()).startsWith("ProcessPool-");
            assertThat(died.get(0)).hasMessageContaining(String.valueOf(victim));
            assertThat(completed).hasSize(7).doesNotHaveDuplicates();
            assertThat(pool.<Integer, Integer>map(x -> x + 1, range(10))).hasSize(10);
            assertThat(pool.workerPids()).hasSize(2).doesNotContain(victim);
        }
    }

    @Test
    void aTaskCallingSystemExitFailsWithItsExitCodeAndThePoolGoesOn() throws Exception {
        try (ProcessPool pool = ProcessPool.create(1)) {
            long before = pool.workerPids().get(0);
            CompletableFuture<Object> exiting = pool.applyAsync(PoolTargets::exit, 3);
            CompletableFuture<Integer> after = pool.applyAsync(x -> x * 2, 21);
            assertThatThrownBy(() -> exiting.get(1, TimeUnit.MINUTES)).cause()
                    .isInstanceOf(WorkerDiedException.class)
                    .satisfies(e -> assertThat(((WorkerDiedException) e).exitCode()).hasValue(3));
            assertThat(after.get(1, TimeUnit.MINUTES)).isEqualTo(42);
            assertThat(pool.workerPids()).doesNotContain(before);
        }
    }

    @Test
    void maxTasksPerChildRotatesWorkersWithoutStrandingWork() {
        try (ProcessPool pool = ProcessPool.builder().processes(2).maxTasksPerChild(10).build()) {
            List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), range(100), 1);
            assertThat(pids).hasSize(100);
            Map<Long, Integer> tasksPerPid = new HashMap<>();
            pids.forEach(pid -> tasksPerPid.merge(pid, 1, Integer::sum));
            assertThat(tasksPerPid.values()).allMatch(count -> count <= 10);
            assertThat(tasksPerPid).hasSizeGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void theInitializerRunsInEachWorkerBeforeItsTasks() {
        try (ProcessPool pool = ProcessPool.builder().processes(2).initializer(PoolTargets::initialize).build()) {
            assertThat(pool.<Integer, String>map(x -> System.getProperty("initialized"), range(20), 1))
                    .containsOnly("yes");
        }
        assertThatThrownBy(() -> ProcessPool.builder().processes(1).initializer(PoolTargets::failToInitialize)
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("initializer")
                .rootCause().hasMessageContaining("no configuration");
    }

    /** Serializable, but neither packable nor a record: code that captures it is serialized, not sent by reference. */
    static final class Setting implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final String value;

        Setting(String value) {
            this.value = value;
        }
    }

    @Test
    void anInitializerAndAFunctionThatCaptureAUsersObjectAreSerializedAndRun() {
        Setting setting = new Setting("from the parent");
        try (ProcessPool pool = ProcessPool.builder().processes(1)
                .initializer(() -> System.setProperty("setting", setting.value)).build()) {
            assertThat(pool.<Integer, String>map(x -> System.getProperty("setting") + " " + setting.value + " " + x,
                    range(3))).containsExactly("from the parent from the parent 0", "from the parent from the parent 1",
                    "from the parent from the parent 2");
        }
        Object notSerializable = new Object();
        assertThatThrownBy(() -> ProcessPool.builder().processes(1)
                .initializer(() -> System.setProperty("setting", notSerializable.toString())).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the initializer of")
                .hasMessageContaining("not serializable");
    }

    @Test
    void workersGetTheJvmOptionsAndCanStartWarm() {
        try (ProcessPool pool = ProcessPool.builder().processes(1).jvmOptions("-Xmx48m").build()) {
            assertThat(pool.<Integer, Long>apply(x -> Runtime.getRuntime().maxMemory(), 0))
                    .isLessThanOrEqualTo(48L << 20);
        }
        try (ProcessPool pool = ProcessPool.builder().processes(2).warmStart(true).build()) {
            assertThat(pool.<Integer, Integer>map(x -> x + 1, range(10))).hasSize(10);
        } finally {
            ProcessContext.defaultContext().stopWarmStandby();
        }
        assertThatThrownBy(() -> ProcessPool.builder().warmStart(true).jvmOptions("-Xmx48m").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("-Xmx48m");
    }

    // -- lifecycle -----------------------------------------------------------------------------------------------------

    @Test
    void closeFinishesSubmittedWorkAndRefusesNewWork() throws Exception {
        ProcessPool pool = ProcessPool.create(2);
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(pool.applyAsync(x -> x + 100, i));
        }
        pool.close();
        for (int i = 0; i < 20; i++) {
            assertThat(futures.get(i).getNow(null)).isEqualTo(i + 100);
        }
        assertThat(pool.isTerminated()).isTrue();
        assertThatThrownBy(() -> pool.map(x -> x, range(3))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("close()");
        assertThatThrownBy(() -> pool.applyAsync(x -> x, 1)).isInstanceOf(IllegalStateException.class);
        pool.join();
        pool.close();
    }

    @Test
    void terminateStopsPromptlyWithTenThousandQueuedTasks() throws Exception {
        ProcessPool pool = ProcessPool.create(2);
        List<Long> pids = pool.workerPids();
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            futures.add(pool.applyAsync(PoolTargets::sleepThenEcho, 10_000));
        }
        pool.terminate();
        assertThat(futures).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThatThrownBy(() -> futures.get(0).join()).isInstanceOf(CancellationException.class);
        assertThat(pool.isTerminated()).isTrue();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
        assertThatThrownBy(() -> pool.apply(x -> x, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("terminate()");
        pool.join();
        pool.terminate();
    }

    @Test
    void joinBeforeCloseIsRefused() {
        assertThatThrownBy(shared::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("close()");
    }

    @Test
    void workerOutputReachesTheParentPrefixedWithTheWorkersName() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (ProcessPool pool = ProcessPool.builder().processes(1).name("logging").build()) {
            pool.apply(PoolTargets::logSomething, "hello from a task");
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output.lines()).anyMatch(line -> line.startsWith("[logging-worker-1] ")
                && line.contains("hello from a task") && line.indexOf("[logging-worker-1]", 1) > 0);
    }

    /** Static targets, so no lambda captures the test instance. */
    static final class PoolTargets {
        private PoolTargets() {}

        static int inverse(int x) {
            return 100 / x;
        }

        static int sleepThenEcho(int millis) throws InterruptedException {
            Thread.sleep(millis);
            return millis;
        }

        static int markThenSleep(String dir, int i, int millis) throws IOException, InterruptedException {
            Path written = Files.writeString(Path.of(dir, "writing-" + i),
                    String.valueOf(ProcessHandle.current().pid()));
            Files.move(written, Path.of(dir, "started-" + i), StandardCopyOption.ATOMIC_MOVE); // seen whole or not
            Thread.sleep(millis);
            return i;
        }

        static Object failUnserializably(String message) {
            throw new Targets.Unserializable(message);
        }

        static Object exit(int status) {
            System.exit(status);
            return null;
        }

        static void initialize() {
            System.setProperty("initialized", "yes");
        }

        static void failToInitialize() {
            throw new IllegalStateException("no configuration for this worker");
        }

        static String logSomething(String message) {
            org.slf4j.LoggerFactory.getLogger(PoolTargets.class).info(message);
            return message;
        }

        /** Waits (bounded) until {@code count} tasks wrote their marker; returns the pids they wrote. */
        static List<Long> awaitMarkers(Path dir, int count) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (markerCount(dir) < count) {
                assertThat(System.nanoTime() - deadline).as("tasks started in time").isNegative();
                Thread.sleep(5); // polling the file system for an event in another process
            }
            List<Long> pids = new ArrayList<>();
            try (var files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (file.getFileName().toString().startsWith("started-")) {
                        pids.add(Long.parseLong(Files.readString(file)));
                    }
                }
            }
            return pids;
        }

        static long markerCount(Path dir) throws IOException {
            try (var files = Files.list(dir)) {
                return files.filter(file -> file.getFileName().toString().startsWith("started-")).count();
            }
        }
    }
}
