package dev.gil.multiprocess.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.TaskFailedException;
import dev.gil.multiprocess.TaskPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskPool} must do, whatever runs the tasks: {@code ProcessPool} runs it, and so does
 * {@code ClusterPool} in gil-cluster (this class is published in gil-multiprocess's test jar). Subclasses give the pool;
 * it must be started and stay open for the whole class.
 */
public abstract class TaskPoolContract {

    /**
     * The pool under test.
     *
     * @return an open pool
     */
    protected abstract TaskPool pool();

    /**
     * 0, 1, ..., n - 1.
     *
     * @param n how many
     * @return the list
     */
    public static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    /**
     * 0, 1, 4, ..., (n - 1)².
     *
     * @param n how many
     * @return the list
     */
    public static List<Integer> squares(int n) {
        return IntStream.range(0, n).map(x -> x * x).boxed().collect(Collectors.toList());
    }

    /**
     * 0, 1, 2, ... for ever, counting in {@code read} how many were read: an input no pool may read to its end.
     *
     * @param read counts the items read
     * @return the input
     */
    public static Iterable<Integer> endless(AtomicLong read) {
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return (int) read.getAndIncrement();
            }
        };
    }

    /**
     * 100 / x: fails for 0, with the method's name in the stack.
     *
     * @param x the divisor
     * @return the quotient
     */
    public static int inverse(int x) {
        return 100 / x;
    }

    @Test
    void contractMapKeepsInputOrderWithEveryChunkSize() {
        assertThat(pool().<Integer, Integer>map(x -> x * x, range(600))).isEqualTo(squares(600));
        assertThat(pool().<Integer, Integer>map(x -> x * x, range(600), 20)).isEqualTo(squares(600));
        assertThat(pool().<Integer, Integer>map(x -> x * x, range(100), 1)).isEqualTo(squares(100));
        assertThat(pool().<Integer, Integer>map(x -> x * x, range(7), 1000)).isEqualTo(squares(7));
    }

    @Test
    void contractImapIsOrderedAndSortedImapUnorderedEqualsMap() {
        List<Integer> ordered = new ArrayList<>();
        for (int square : pool().<Integer, Integer>imap(x -> x * x, range(300), 7)) {
            ordered.add(square);
        }
        assertThat(ordered).isEqualTo(squares(300));
        List<Integer> unordered = new ArrayList<>();
        pool().<Integer, Integer>imapUnordered(x -> x * x, range(300), 5).forEachRemaining(unordered::add);
        Collections.sort(unordered);
        assertThat(unordered).isEqualTo(squares(300));
    }

    @Test
    void contractEmptyInputGivesEmptyResults() {
        assertThat(pool().<Integer, Integer>map(x -> x, List.of())).isEmpty();
        assertThat(pool().<Integer, Integer>map(x -> x, List.of(), 3)).isEmpty();
        assertThat(pool().<Integer, Integer>imap(x -> x, List.of()).hasNext()).isFalse();
        assertThat(pool().<Integer, Integer>imapUnordered(x -> x, List.of()).hasNext()).isFalse();
        assertThatThrownBy(() -> pool().imap(x -> x, List.of()).next()).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void contractApplyAndApplyAsync() throws Exception {
        assertThat(pool().<String, String>apply(String::toUpperCase, "pool")).isEqualTo("POOL");
        assertThat(pool().<Integer, Integer>applyAsync(x -> x + 1, 41).get(1, TimeUnit.MINUTES)).isEqualTo(42);
    }

    @Test
    void contractATasksExceptionComesBackAsTheCause() {
        assertThatThrownBy(() -> pool().<Integer, Integer>map(TaskPoolContract::inverse, List.of(1, 0, 2), 1))
                .isInstanceOf(TaskFailedException.class).hasMessageContaining("task #1")
                .cause().isInstanceOf(ArithmeticException.class).hasMessageContaining("/ by zero")
                .satisfies(e -> assertThat(e.getStackTrace()).anyMatch(f -> f.getMethodName().equals("inverse")));
        assertThatThrownBy(() -> pool().apply(TaskPoolContract::inverse, 0)).isInstanceOf(TaskFailedException.class)
                .cause().isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> pool().applyAsync(TaskPoolContract::inverse, 0).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ArithmeticException.class);
    }

    @Test
    void contractAnInputThatThrowsYieldsTheResultsBeforeIt() {
        IllegalStateException broken = new IllegalStateException("input broke at 5");
        Iterable<Integer> failing = () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (next == 5) {
                    throw broken;
                }
                return next++;
            }
        };
        List<Integer> seen = new ArrayList<>();
        assertThatThrownBy(() -> pool().<Integer, Integer>imap(x -> x * 10, failing, 2).forEachRemaining(seen::add))
                .isSameAs(broken);
        assertThat(seen).containsExactly(0, 10, 20, 30, 40);
        assertThatThrownBy(() -> pool().map(x -> x, failing)).isSameAs(broken);
    }

    @Test
    void contractBadArgumentsAreRefused() {
        assertThatThrownBy(() -> pool().map(x -> x, range(3), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunksize").hasMessageContaining("0");
        assertThatThrownBy(() -> pool().map(null, range(3))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pool().map(x -> x, null)).isInstanceOf(NullPointerException.class);
    }
}
