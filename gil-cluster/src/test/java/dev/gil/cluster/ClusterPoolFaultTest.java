package dev.gil.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.JvmProcess;
import dev.gil.multiprocess.ResultIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Members dying and pools terminated: nothing hangs, nothing is lost, no member is left running. */
class ClusterPoolFaultTest {

    static int slowEcho(int x) throws InterruptedException {
        Thread.sleep(400);
        return x;
    }

    @Test
    void aMemberKilledDuringAMapHasItsTasksRunAgainElsewhere() throws Exception {
        ClusterPool pool = ClusterPool.builder().localMembers(2).build();
        List<JvmProcess> members = pool.localMembers();
        try {
            List<Integer> input = IntStream.range(0, 12).boxed().collect(Collectors.toList());
            ResultIterator<Integer> results = pool.imapUnordered(ClusterPoolFaultTest::slowEcho, input);
            List<Integer> received = new ArrayList<>();
            received.add(results.next()); // tasks are running on both members now
            members.get(0).kill();
            results.forEachRemaining(received::add);
            assertThat(received).containsExactlyInAnyOrderElementsOf(input);
            assertThat(pool.members()).isEqualTo(1);
        } finally {
            pool.close();
        }
        for (JvmProcess member : members) {
            assertThat(member.isAlive()).isFalse();
        }
    }

    @Test
    void terminateCancelsOutstandingWorkAndStopsTheMembers() throws Exception {
        ClusterPool pool = ClusterPool.builder().localMembers(1).build();
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(pool.applyAsync(ClusterPoolFaultTest::slowEcho, i));
        }
        pool.terminate();
        assertThat(futures).allMatch(CompletableFuture::isDone);
        assertThatThrownBy(() -> futures.get(19).join()).isInstanceOf(CancellationException.class);
        assertThat(pool.localMembers()).noneMatch(JvmProcess::isAlive);
        assertThatThrownBy(() -> pool.map(x -> x, List.of(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEmbeddedMemberIsTheDefault() {
        try (ClusterPool pool = ClusterPool.create()) {
            assertThat(pool.members()).isEqualTo(1);
            assertThat(pool.localMembers()).isEmpty();
            assertThat(pool.<Integer, Integer>map(x -> x * 2, List.of(1, 2, 3))).containsExactly(2, 4, 6);
        }
    }
}
