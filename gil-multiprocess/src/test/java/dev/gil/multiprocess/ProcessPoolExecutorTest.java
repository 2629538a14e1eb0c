package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcessPoolExecutor} against the parts of the {@code ExecutorService} contract that apply to tasks in other
 * JVMs, modelled on the JSR-166 TCK ({@code AbstractExecutorServiceTest}, {@code ThreadPoolExecutorTest}).
 */
class ProcessPoolExecutorTest {
    private static ProcessPoolExecutor shared;

    @BeforeAll
    static void start() {
        shared = new ProcessPoolExecutor(2);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        shared.close();
        assertThat(shared.isTerminated()).isTrue();
        assertThat(shared.awaitTermination(0, TimeUnit.SECONDS)).isTrue();
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    static int sleepThenEcho(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }

    static int fail() {
        throw new IllegalStateException("task failed on purpose");
    }

    @Test
    void submitRunsCallablesAndRunnablesInAWorker() throws Exception {
        Future<Long> pid = shared.submit(ProcessPoolExecutorTest::pid);
        assertThat(pid.get(1, TimeUnit.MINUTES)).isNotEqualTo(ProcessHandle.current().pid());
        Future<Integer> lambda = shared.submit(() -> 6 * 7);
        assertThat(lambda.get(1, TimeUnit.MINUTES)).isEqualTo(42);
        Future<?> runnable = shared.submit((SerializableRunnable) () -> System.setProperty("ran", "yes"));
        assertThat(runnable.get(1, TimeUnit.MINUTES)).isNull();
        Runnable serializableRunnable = (Runnable & Serializable) () -> { };
        assertThat(shared.submit(serializableRunnable, "result").get(1, TimeUnit.MINUTES)).isEqualTo("result");
        assertThat(lambda.isDone()).isTrue();
        assertThat(lambda.isCancelled()).isFalse();
    }

    @Test
    void tasksThatCannotCrossAreRejectedAtSubmitWithTheirName() throws Exception {
        Callable<Integer> plain = new Callable<>() {
            @Override
            public Integer call() {
                return 1;
            }
        };
        assertThatThrownBy(() -> shared.submit(plain)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining(plain.getClass().getName()).hasMessageContaining("not serializable");
        Runnable plainRunnable = () -> { };
        assertThatThrownBy(() -> shared.execute(plainRunnable)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("SerializableRunnable");
        assertThatThrownBy(() -> shared.submit(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("not serializable");
        assertThatThrownBy(() -> shared.submit("not a task")).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("java.lang.String is not a task");
        SerializableRunnable typed = () -> { };
        assertThat(shared.submit(typed).get(1, TimeUnit.MINUTES)).isNull();
        Object captured = new Object();
        assertThatThrownBy(() -> shared.submit(() -> captured.hashCode()))
                .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> shared.submit((Callable<Object>) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> shared.execute(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aFailedTaskGivesExecutionExceptionWithTheTasksOwnException() {
        Future<Integer> failing = shared.submit(ProcessPoolExecutorTest::fail);
        assertThatThrownBy(() -> failing.get(1, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("task failed on purpose");
    }

    @Test
    void invokeAllReturnsEveryFutureDoneAndInOrder() throws Exception {
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            tasks.add((SerializableCallable<Integer>) () -> n * n);
        }
        tasks.add((SerializableCallable<Integer>) ProcessPoolExecutorTest::fail);
        List<Future<Integer>> futures = shared.invokeAll(tasks);
        assertThat(futures).hasSize(11).allMatch(Future::isDone);
        for (int i = 0; i < 10; i++) {
            assertThat(futures.get(i).get()).isEqualTo(i * i);
        }
        assertThatThrownBy(() -> futures.get(10).get()).isInstanceOf(ExecutionException.class);
        assertThat(shared.invokeAll(List.<Callable<Integer>>of())).isEmpty();
    }

    @Test
    void invokeAllWithATimeoutCancelsWhatIsNotDone() throws Exception {
        List<Callable<Integer>> tasks = List.of((SerializableCallable<Integer>) () -> 1,
                (SerializableCallable<Integer>) () -> sleepThenEcho(3_000),
                (SerializableCallable<Integer>) () -> sleepThenEcho(3_000),
                (SerializableCallable<Integer>) () -> sleepThenEcho(3_000));
        List<Future<Integer>> futures = shared.invokeAll(tasks, 500, TimeUnit.MILLISECONDS);
        assertThat(futures).hasSize(4).allMatch(Future::isDone);
        assertThat(futures.get(0).get()).isEqualTo(1);
        assertThat(futures.subList(1, 4)).anyMatch(Future::isCancelled);
    }

    @Test
    void invokeAnyReturnsASuccessfulResultAndFailsOnlyWhenAllFail() throws Exception {
        List<Callable<Integer>> oneGood = List.of((SerializableCallable<Integer>) ProcessPoolExecutorTest::fail,
                (SerializableCallable<Integer>) () -> 7, (SerializableCallable<Integer>) ProcessPoolExecutorTest::fail);
        assertThat(shared.invokeAny(oneGood)).isEqualTo(7);
        List<Callable<Integer>> allBad = List.of((SerializableCallable<Integer>) ProcessPoolExecutorTest::fail,
                (SerializableCallable<Integer>) ProcessPoolExecutorTest::fail);
        assertThatThrownBy(() -> shared.invokeAny(allBad)).isInstanceOf(ExecutionException.class)
                .cause().hasMessage("task failed on purpose");
        assertThatThrownBy(() -> shared.invokeAny(List.<Callable<Integer>>of()))
                .isInstanceOf(IllegalArgumentException.class);
        List<Callable<Integer>> slow = List.of((SerializableCallable<Integer>) () -> sleepThenEcho(3_000));
        assertThatThrownBy(() -> shared.invokeAny(slow, 100, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class);
    }

    @Test
    void aDeadWorkerFailsItsTaskAndTheExecutorGoesOn() throws Exception {
        try (ProcessPoolExecutor executor = new ProcessPoolExecutor(1)) {
            Future<Object> dying = executor.submit(() -> {
                Runtime.getRuntime().halt(7);
                return null;
            });
            assertThatThrownBy(() -> dying.get(1, TimeUnit.MINUTES)).cause()
                    .isInstanceOf(WorkerDiedException.class).hasMessageContaining("exit code 7");
            assertThat(executor.submit(() -> "still working").get(1, TimeUnit.MINUTES)).isEqualTo("still working");
        }
    }

    @Test
    void shutdownFinishesSubmittedTasksAndRejectsNewOnes() throws Exception {
        ProcessPoolExecutor executor = new ProcessPoolExecutor(1);
        assertThat(executor.awaitTermination(10, TimeUnit.MILLISECONDS)).isFalse();
        Future<Integer> submitted = executor.submit(() -> sleepThenEcho(200));
        executor.shutdown();
        assertThat(executor.isShutdown()).isTrue();
        assertThatThrownBy(() -> executor.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class);
        assertThat(executor.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        assertThat(executor.isTerminated()).isTrue();
        assertThat(submitted.get()).isEqualTo(200);
    }

    @Test
    void shutdownNowReturnsTheTasksThatNeverStartedAndStopsTheRunningOne() throws Exception {
        ProcessPoolExecutor executor = new ProcessPoolExecutor(1);
        Pipe pipe = Pipe.open(false);
        Connection started = pipe.right();
        Future<Integer> running = executor.submit(() -> {
            started.send("started");
            return sleepThenEcho(60_000);
        });
        List<Future<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(executor.submit(() -> sleepThenEcho(60_000)));
        }
        assertThat(pipe.left().recv()).isEqualTo("started");
        List<Runnable> neverStarted = executor.shutdownNow();
        assertThat(neverStarted).hasSizeBetween(4, 5); // a worker is sent one task ahead of the one it runs
        assertThat(neverStarted).allMatch(task -> task instanceof Future);
        assertThat(executor.isTerminated()).isTrue();
        assertThat(queued).allMatch(Future::isDone);
        assertThat(running.isDone()).isTrue();
        assertThatThrownBy(running::get).isInstanceOf(CancellationException.class);
    }
}
