package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.contract.TaskPoolContract;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The front end on its own, over a pool whose chunks run on two threads of this JVM: the contract every pool keeps,
 * and what the front end alone decides (read-ahead, cancelling at close, pairs, a failed chunk's index).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AbstractTaskPoolTest extends TaskPoolContract {
    private static ThreadPool shared;

    /** Chunks run on a thread pool; counts what it was given. */
    static class ThreadPool extends AbstractTaskPool {
        final ExecutorService threads = Executors.newFixedThreadPool(2);
        final AtomicInteger submitted = new AtomicInteger();

        @Override
        @SuppressWarnings("unchecked")
        protected CompletableFuture<Object[]> submit(Object function, boolean pairs, Object[] arguments,
                long firstItem) {
            submitted.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                Object[] results = new Object[arguments.length];
                for (int i = 0; i < arguments.length; i++) {
                    try {
                        if (pairs) {
                            Object[] pair = (Object[]) arguments[i];
                            results[i] = ((SerializableBiFunction<Object, Object, Object>) function)
                                    .apply(pair[0], pair[1]);
                        } else {
                            results[i] = ((SerializableFunction<Object, Object>) function).apply(arguments[i]);
                        }
                    } catch (Exception e) {
                        throw new TaskFailedException("task #" + (firstItem + i) + " failed: " + e, e);
                    }
                }
                return results;
            }, threads);
        }

        @Override
        protected int parallelism() {
            return 2;
        }

        @Override
        public void close() {
            cancelStillReading();
            threads.shutdown();
        }

        @Override
        public void terminate() {
            close();
            threads.shutdownNow();
        }
    }

    @BeforeAll
    static void start() {
        shared = new ThreadPool();
    }

    @AfterAll
    static void stop() {
        shared.close();
    }

    @Override
    protected TaskPool pool() {
        return shared;
    }

    @Test
    void theDefaultChunkSizeGivesEachOfTheParallelismAboutFourChunks() {
        try (ThreadPool pool = new ThreadPool()) {
            assertThat(pool.<Integer, Integer>map(x -> x, range(80))).isEqualTo(range(80));
            assertThat(pool.submitted.get()).as("80 items, 2 x 4 chunks").isEqualTo(8);
        }
    }

    @Test
    void listsAreCutIntoTheSameChunksWhateverTheirKindAndLength() {
        try (ThreadPool pool = new ThreadPool()) {
            for (int size : new int[] {0, 1, 6, 7, 8, 9, 100}) {
                List<Integer> expected = range(size);
                List<List<Integer>> inputs = List.of(new ArrayList<>(expected), Arrays.asList(expected.toArray(
                        new Integer[0])), List.copyOf(expected), new LinkedList<>(expected),
                        Collections.unmodifiableList(expected));
                for (List<Integer> input : inputs) {
                    int before = pool.submitted.get();
                    assertThat(pool.<Integer, Integer>map(x -> x, input, 4)).as("%s of %d", input.getClass(), size)
                            .isEqualTo(expected);
                    assertThat(pool.submitted.get() - before).as("chunks of 4").isEqualTo((size + 3) / 4);
                }
            }
        }
    }

    @Test
    void anInputListThatThrowsPartWayYieldsTheResultsBeforeIt() {
        List<Integer> failsAtFive = new java.util.AbstractList<>() { // random access, but its own: read item by item
            @Override
            public Integer get(int index) {
                if (index == 5) {
                    throw new IllegalStateException("no item 5");
                }
                return index;
            }

            @Override
            public int size() {
                return 10;
            }
        };
        try (ThreadPool pool = new ThreadPool()) {
            ResultIterator<Integer> results = pool.imap(x -> x, failsAtFive, 4);
            List<Integer> before = new ArrayList<>();
            assertThatThrownBy(() -> results.forEachRemaining(before::add)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("no item 5");
            assertThat(before).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void anImapReadsItsInputABoundedNumberOfChunksAhead() {
        AtomicLong read = new AtomicLong();
        try (ThreadPool pool = new ThreadPool();
                ResultIterator<Integer> results = pool.imap(x -> x, endless(read), 3)) {
            for (int i = 0; i < 500; i++) {
                assertThat(results.next()).isEqualTo(i);
                assertThat(read.get()).as("read ahead of %s consumed", i).isLessThanOrEqualTo((i / 3 + 1 + 32) * 3);
            }
        }
    }

    @Test
    void closingThePoolCancelsAnImapStillReadingButNotOneThatReadAllItsInput() throws Exception {
        ThreadPool pool = new ThreadPool();
        ResultIterator<Integer> reading = pool.imap(x -> x, endless(new AtomicLong()));
        ResultIterator<Integer> readAll = pool.imap(x -> x * 2, range(5));
        int submittedAtClose = pool.submitted.get();
        pool.close();
        assertThatThrownBy(reading::hasNext).isInstanceOf(CancellationException.class)
                .hasMessageContaining("the pool was closed");
        assertThat(reading.hasNext()).as("once said, the end").isFalse();
        assertThat(pool.submitted.get()).as("nothing more submitted").isEqualTo(submittedAtClose);
        assertThat((Iterable<Integer>) readAll).containsExactly(0, 2, 4, 6, 8);
        assertThat(pool.threads.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    }

    @Test
    void starmapTakesPairsAndNamesAnInputThatIsNotOne() {
        assertThat(shared.<Integer, String, String>starmap((n, s) -> s.repeat(n),
                List.of(Map.entry(2, "ab"), Map.entry(1, "c")))).containsExactly("abab", "c");
        List<Object> notPairs = List.of(Map.entry(1, "a"), "oops");
        @SuppressWarnings("unchecked")
        List<Map.Entry<Integer, String>> lying = (List<Map.Entry<Integer, String>>) (List<?>) notPairs;
        assertThatThrownBy(() -> shared.<Integer, String, String>starmap((n, s) -> s, lying))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input #1")
                .hasMessageContaining("oops").hasMessageContaining("Map.Entry");
    }

    @Test
    void cancellingAnApplyAsyncCancelsItsChunkAndADependentStageDoesNot() throws Exception {
        AtomicReference<CompletableFuture<Object[]>> chunk = new AtomicReference<>();
        AbstractTaskPool holding = new ThreadPool() {
            @Override
            protected CompletableFuture<Object[]> submit(Object function, boolean pairs, Object[] arguments,
                    long firstItem) {
                chunk.set(new CompletableFuture<>());
                return chunk.get();
            }
        };
        CompletableFuture<Integer> result = holding.applyAsync(x -> x, 1);
        CompletableFuture<Integer> dependent = result.thenApply(x -> x + 1);
        dependent.cancel(true);
        assertThat(chunk.get().isCancelled()).as("a dependent's cancel leaves the task").isFalse();
        result.cancel(true);
        assertThat(chunk.get().isCancelled()).as("the task's own cancel withdraws it").isTrue();
        holding.close();
    }

    @Test
    void aFunctionThatCannotBePreparedFailsTheCallAtOnce() {
        AbstractTaskPool refusing = new ThreadPool() {
            @Override
            protected Object prepare(Serializable function) {
                throw new IllegalArgumentException("cannot ship " + function.getClass().getSimpleName());
            }
        };
        assertThatThrownBy(() -> refusing.map(x -> x, range(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot ship");
        assertThatThrownBy(() -> refusing.applyAsync(x -> x, 1)).isInstanceOf(IllegalArgumentException.class);
        refusing.close();
    }
}
