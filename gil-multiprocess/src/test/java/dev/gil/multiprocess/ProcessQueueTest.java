package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.internal.wire.SerialCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProcessQueueTest {

    /** The queue as another process sees it: a copy that connects to the owner. */
    @SuppressWarnings("unchecked")
    private static <T> ProcessQueue<T> elsewhere(ProcessQueue<T> queue) throws Exception {
        return (ProcessQueue<T>) SerialCodec.deserialize(SerialCodec.serialize(queue));
    }

    static void produce(ProcessQueue<String> queue, String producer, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            queue.put(producer + ":" + i);
        }
    }

    static int consume(ProcessQueue<Integer> queue, int count) throws Exception {
        int sum = 0;
        for (int i = 0; i < count; i++) {
            sum += queue.get(Duration.ofMinutes(1));
        }
        return sum;
    }

    @Test
    void itemsComeOutInOrderAndEmptyIsReportedWithoutWaiting() throws Exception {
        try (ProcessQueue<Integer> queue = ProcessQueue.create()) {
            for (int i = 0; i < 100; i++) {
                queue.put(i);
            }
            assertThat(queue.size()).isEqualTo(100);
            for (int i = 0; i < 100; i++) {
                assertThat(queue.get()).isEqualTo(i);
            }
            assertThat(queue.poll()).isNull();
            assertThatThrownBy(() -> queue.get(Duration.ofMillis(20))).isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void misuseIsRefusedWithTheReason() throws Exception {
        assertThatThrownBy(() -> ProcessQueue.create(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        ProcessQueue<Object> queue = ProcessQueue.create();
        assertThatThrownBy(() -> queue.put(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> queue.put(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        ProcessQueue<Object> remote = elsewhere(queue);
        assertThatThrownBy(remote::size).isInstanceOf(UnsupportedOperationException.class);
        queue.close();
        assertThatThrownBy(() -> queue.put("late")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(remote::poll).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SerialCodec.serialize(queue)).hasMessageContaining("closed");
    }

    @Test
    void aBoundedQueueMakesPutWaitForRoom() throws Exception {
        try (ProcessQueue<String> queue = ProcessQueue.create(2)) {
            ProcessQueue<String> remote = elsewhere(queue);
            assertThat(remote.offer("a", Duration.ZERO)).isTrue();
            assertThat(queue.offer("b", Duration.ZERO)).isTrue();
            assertThat(queue.offer("c", Duration.ofMillis(20))).isFalse();
            assertThat(remote.offer("c", Duration.ofMillis(20))).isFalse();
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                try {
                    remote.put("c");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(queue.get()).isEqualTo("a");
            blocked.get(1, TimeUnit.MINUTES);
            assertThat(queue.get()).isEqualTo("b");
            assertThat(queue.get()).isEqualTo("c");
        }
    }

    @Test
    void childrenProduceAndTheParentConsumesEverythingInEachProducersOrder() throws Exception {
        try (ProcessQueue<String> queue = ProcessQueue.create(16)) {
            List<JvmProcess> producers = new ArrayList<>();
            for (String name : List.of("p1", "p2")) {
                JvmProcess producer = new JvmProcess(() -> produce(queue, name, 200));
                producer.start();
                producers.add(producer);
            }
            Map<String, Integer> next = new HashMap<>(Map.of("p1", 0, "p2", 0));
            for (int i = 0; i < 400; i++) {
                String[] item = queue.get(Duration.ofMinutes(1)).split(":");
                assertThat(Integer.parseInt(item[1])).isEqualTo(next.get(item[0]));
                next.merge(item[0], 1, Integer::sum);
            }
            for (JvmProcess producer : producers) {
                producer.join();
                assertThat(producer.exitCode()).hasValue(0);
            }
            assertThat(queue.poll()).isNull();
        }
    }

    @Test
    void aChildConsumesWhatTheParentPuts() throws Exception {
        try (ProcessQueue<Integer> queue = ProcessQueue.create(4)) {
            JvmProcess consumer = new JvmProcess(() -> consume(queue, 50));
            consumer.start();
            for (int i = 1; i <= 50; i++) {
                queue.put(i);
            }
            consumer.join();
            assertThat(consumer.result()).isEqualTo(50 * 51 / 2);
        }
    }

    @Test
    void poolTasksCanPutOnAQueue() throws Exception {
        try (ProcessQueue<Integer> queue = ProcessQueue.create(); ProcessPool pool = ProcessPool.create(2)) {
            pool.map(i -> {
                queue.put(i * 10);
                return i;
            }, IntStream.range(0, 30).boxed().collect(Collectors.toList()), 1);
            List<Integer> received = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                received.add(queue.get(Duration.ofMinutes(1)));
            }
            assertThat(received).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, 30).map(i -> i * 10).boxed().collect(Collectors.toList()));
        }
    }

    @Test
    void aConsumerKilledWhileWaitingLosesNoItem() throws Exception {
        try (ProcessQueue<String> queue = ProcessQueue.create()) {
            Pipe pipe = Pipe.open(false);
            Connection ready = pipe.right();
            JvmProcess consumer = new JvmProcess(() -> {
                ready.send("waiting");
                return queue.get();
            });
            consumer.start();
            assertThat(pipe.left().recv()).isEqualTo("waiting");
            consumer.kill();
            consumer.join();
            queue.put("precious");
            assertThat(queue.get(Duration.ofMinutes(1))).isEqualTo("precious");
        }
    }

    @Test
    void oneHandleServesABlockedGetAndAPutFromAnotherThread() throws Exception {
        try (ProcessQueue<String> queue = ProcessQueue.create()) {
            ProcessQueue<String> remote = elsewhere(queue);
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return remote.get();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            remote.put("through the same handle");
            assertThat(waiting.get(1, TimeUnit.MINUTES)).isEqualTo("through the same handle");
            remote.close();
            assertThatThrownBy(() -> remote.put("late")).isInstanceOf(IllegalStateException.class);
            assertThat(queue.poll()).isNull();
        }
    }

    @Test
    void anInterruptedGetTakesNothing() throws Exception {
        try (ProcessQueue<String> queue = ProcessQueue.create()) {
            ProcessQueue<String> remote = elsewhere(queue);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    outcome.set(new AssertionError("got " + remote.get()));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            waiter.start();
            waiter.interrupt();
            waiter.join(TimeUnit.MINUTES.toMillis(1));
            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            queue.put("kept");
            assertThat(queue.get(Duration.ofMinutes(1))).isEqualTo("kept");
            remote.put("the handle reconnects");
            assertThat(queue.get()).isEqualTo("the handle reconnects");
        }
    }
}
