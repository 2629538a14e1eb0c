package dev.gil.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.JvmProcess;
import dev.gil.multiprocess.TaskPool;
import dev.gil.multiprocess.contract.TaskPoolContract;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code TaskPool} contract on a 2-member cluster of JVMs on loopback. */
class ClusterPoolTest extends TaskPoolContract {
    private static ClusterPool pool;

    @Override
    protected TaskPool pool() {
        return pool;
    }

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

    static long pid(int ignored) {
        return ProcessHandle.current().pid();
    }

    @Test
    void theClusterHasItsMembers() {
        assertThat(pool.members()).isEqualTo(2);
        assertThat(pool.localMembers()).hasSize(2).allMatch(JvmProcess::isAlive);
    }

    @Test
    void tasksRunOnTheMembers() {
        List<Long> memberPids = pool.localMembers().stream().map(JvmProcess::pid).collect(Collectors.toList());
        assertThat(pool.<Integer, Long>map(ClusterPoolTest::pid, range(40), 1)).allMatch(memberPids::contains);
    }

    @Test
    void starmapPassesBothArguments() {
        assertThat(pool.<Integer, String, String>starmap((n, s) -> s.repeat(n), List.of(Map.entry(2, "ab"))))
                .containsExactly("abab");
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
