package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both ends of one {@link Pipe} in two other processes, as CPython's own multiprocessing tests use them: whichever
 * child starts first, the message arrives, and no socket or directory is left behind.
 */
@Timeout(120)
class PipesBetweenChildrenTest {

    @ParameterizedTest(name = "consumer started first: {0}")
    @ValueSource(booleans = {true, false})
    void bothEndsOfAPipeGoToTwoChildrenInEitherStartOrder(boolean consumerFirst) throws Exception {
        Pipe pipe = Pipe.open();
        Connection left = pipe.left(); // listens
        Connection right = pipe.right(); // connects
        SerializableCallable<Object> receive = () -> right.recv();
        SerializableRunnable send = () -> left.send(List.of("from", "a", "child"));
        try (JvmProcess consumer = new JvmProcess(receive); JvmProcess producer = new JvmProcess(send)) {
            if (consumerFirst) {
                consumer.start();
                producer.start();
            } else {
                producer.start();
                consumer.start();
            }
            assertThat(producer.join(Duration.ofSeconds(90))).as("the producer ended").isTrue();
            assertThat(consumer.join(Duration.ofSeconds(90))).as("the consumer ended").isTrue();
            assertThat(producer.failure()).isEmpty();
            assertThat(consumer.failure()).isEmpty();
            assertThat(consumer.result()).isEqualTo(List.of("from", "a", "child"));
        }
    }

    @Test
    void bothEndsMovedByTheParentFirstStillMeetInTheChildren() throws Exception {
        // The right end moves while the left is still here: the parent listens for it, then hands the listening
        // over when the left end moves too. The right child must not be left talking to the parent's listener.
        Pipe pipe = Pipe.open();
        Connection left = pipe.left();
        Connection right = pipe.right();
        try (JvmProcess consumer = new JvmProcess((SerializableCallable<Object>) () -> right.recv())) {
            consumer.start();
            java.nio.file.Path socket = socketOf(left);
            try (JvmProcess producer = new JvmProcess((SerializableRunnable) () -> left.send("late"))) {
                producer.start();
                assertThat(consumer.join(Duration.ofSeconds(90))).isTrue();
                assertThat(consumer.result()).isEqualTo("late");
                producer.join();
            }
            assertThat(Files.exists(socket)).as("no socket left behind").isFalse();
            assertThat(Files.exists(socket.getParent())).as("no directory left behind").isFalse();
        }
    }

    /** The rendezvous path of an end, from its description in a transfer; for the clean-up check only. */
    private static java.nio.file.Path socketOf(Connection end) throws Exception {
        java.lang.reflect.Field field = Connection.class.getDeclaredField("socket");
        field.setAccessible(true);
        return (java.nio.file.Path) field.get(end);
    }

    /** In a pool worker: echoes what the connection brings, once. */
    static String echoOnce(Connection connection) throws Exception {
        Object message = connection.recv();
        connection.send("echo: " + message);
        return "done";
    }

    @Test
    void aConnectionPassedToAPoolTaskIsLiveInTheWorker() throws Exception {
        Pipe pipe = Pipe.open();
        Connection mine = pipe.left();
        Connection theirs = pipe.right();
        try (ProcessPool pool = ProcessPool.create(1)) {
            java.util.concurrent.CompletableFuture<String> task =
                    pool.applyAsync(PipesBetweenChildrenTest::echoOnce, theirs);
            mine.send("ping");
            assertThat(mine.recv()).isEqualTo("echo: ping");
            assertThat(task.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("done");
        }
        mine.close();
    }
}
