package dev.gil.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.JvmProcess;
import dev.gil.multiprocess.TaskFailedException;
import dev.gil.multiprocess.TaskPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code TaskPool} contract on a 2-member cluster of JVMs on loopback. */
class ClusterPoolTest {
    private static ClusterPool pool;

    @BeforeAll
    static void startCluster() {
        pool = ClusterPool.builder().localMembers(2).build();
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        List<JvmProcess> members = pool.localMembers();
        pool.close();
        for (JvmProcess member : members) {
            assertThat(member.isAlive()).as("%s after close()", member).isFalse();
        }
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    static List<Integer> squares(int n) {
        return IntStream.range(0, n).map(x -> x * x).boxed().collect(Collectors.toList());
    }

    static int inverse(int x) {
        return 100 / x;
    }

    static long pid(int ignored) {
        return ProcessHandle.current().pid();
    }

    @Test
    void theClusterHasItsMembers() {
        assertThat(pool.members()).isEqualTo(2);
        assertThat(pool.localMembers()).hasSize(2).allMatch(JvmProcess::isAlive);
    }

    @Test
    void mapKeepsInputOrderAndRunsOnTheMembers() {
        TaskPool tasks = pool; // code written against the interface
        assertThat(tasks.<Integer, Integer>map(x -> x * x, range(500))).isEqualTo(squares(500));
        assertThat(tasks.<Integer, Integer>map(x -> x * x, range(500), 20)).isEqualTo(squares(500));
        List<Long> memberPids = pool.localMembers().stream().map(JvmProcess::pid).collect(Collectors.toList());
        assertThat(tasks.<Integer, Long>map(ClusterPoolTest::pid, range(40), 1)).allMatch(memberPids::contains);
        assertThat(tasks.<Integer, Integer>map(x -> x, List.of())).isEmpty();
    }

    @Test
    void imapIsOrderedAndImapUnorderedSortedEqualsMap() {
        List<Integer> ordered = new ArrayList<>();
        pool.<Integer, Integer>imap(x -> x * x, range(200), 7).forEachRemaining(ordered::add);
        assertThat(ordered).isEqualTo(squares(200));
        List<Integer> unordered = new ArrayList<>();
        pool.<Integer, Integer>imapUnordered(x -> x * x, range(200)).forEachRemaining(unordered::add);
        Collections.sort(unordered);
        assertThat(unordered).isEqualTo(squares(200));
    }

    @Test
    void applyApplyAsyncAndStarmap() throws Exception {
        assertThat(pool.<String, String>apply(String::toUpperCase, "cluster")).isEqualTo("CLUSTER");
        assertThat(pool.<Integer, Integer>applyAsync(x -> x + 1, 41).get(1, TimeUnit.MINUTES)).isEqualTo(42);
        assertThat(pool.<Integer, String, String>starmap((n, s) -> s.repeat(n), List.of(Map.entry(2, "ab"))))
                .containsExactly("abab");
    }

    @Test
    void aTasksExceptionComesBackWithItsClassAndMessage() {
        assertThatThrownBy(() -> pool.<Integer, Integer>map(ClusterPoolTest::inverse, List.of(1, 0, 2), 1))
                .isInstanceOf(TaskFailedException.class).hasMessageContaining("task #1")
                .cause().isInstanceOf(ArithmeticException.class).hasMessageContaining("/ by zero");
        assertThatThrownBy(() -> pool.apply(ClusterPoolTest::inverse, 0)).isInstanceOf(TaskFailedException.class)
                .cause().isInstanceOf(ArithmeticException.class);
    }

    @Test
    void badArgumentsNameTheValue() {
        assertThatThrownBy(() -> ClusterPool.builder().localMembers(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> ClusterPool.builder().maxAttempts(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> pool.map(x -> x, range(3), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunksize");
        assertThatThrownBy(() -> ClusterPool.builder().localMembers(1).join("127.0.0.1:1").build())
                .isInstanceOf(IllegalStateException.class);
    }
}
