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
import org.junit.jupiter.api.Timeout;

/**
 * Members killed, pools terminated, loops abandoned, on purpose: nothing hangs, nothing is lost, no member is left
 * running.
 */
@Timeout(180)
class FaultInjectionTest {

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
            ResultIterator<Integer> results = pool.imapUnordered(FaultInjectionTest::slowEcho, input);
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
            futures.add(pool.applyAsync(FaultInjectionTest::slowEcho, i));
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

    @Test
    void leavingAnImapLoopWithBreakInsideTryWithResourcesCancelsTheRestAtClose() {
        List<Integer> input = IntStream.range(0, 200).boxed().collect(Collectors.toList());
        ResultIterator<Integer> abandoned;
        List<Integer> seen = new ArrayList<>();
        try (ClusterPool pool = ClusterPool.create()) {
            abandoned = pool.imap(FaultInjectionTest::slowEcho, input);
            for (int x : (Iterable<Integer>) () -> pool.<Integer, Integer>imap(FaultInjectionTest::slowEcho, input)) {
                seen.add(x);
                if (x == 1) {
                    break;
                }
            }
        } // 200 tasks of 400 ms each would keep a close() that waited busy for over a minute
        assertThat(seen).containsExactly(0, 1);
        assertThatThrownBy(abandoned::hasNext).as("an iterator the pool's close() cancelled")
                .isInstanceOf(CancellationException.class).hasMessageContaining("the pool was closed");
        assertThat(abandoned.hasNext()).as("once said, the end").isFalse();
    }

    @Test
    void whenEveryMemberIsKilledTheCallFailsNamingTheCauseInsteadOfHanging() throws Exception {
        ClusterPool pool = ClusterPool.builder().localMembers(1).maxAttempts(2).build();
        List<JvmProcess> members = pool.localMembers();
        try {
            CompletableFuture<Integer> running = pool.applyAsync(FaultInjectionTest::slowEcho, 7);
            members.get(0).kill();
            members.get(0).join();
            assertThatThrownBy(running::join).isInstanceOf(java.util.concurrent.CompletionException.class)
                    .cause().isInstanceOf(dev.gil.multiprocess.TaskFailedException.class)
                    .hasMessageContaining("every member JVM of the pool has exited", "pid " + members.get(0).pid(),
                            "exit code -9");
            assertThatThrownBy(() -> pool.map(x -> x, List.of(1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot run tasks", "every member JVM");
        } finally {
            pool.terminate();
        }
        assertThat(members).noneMatch(JvmProcess::isAlive);
    }
}
