package org.example.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import dev.gil.multiprocess.ClassAllowList;
import dev.gil.multiprocess.Connection;
import dev.gil.multiprocess.JvmProcess;
import dev.gil.multiprocess.Pipe;
import dev.gil.multiprocess.ProcessPool;
import dev.gil.multiprocess.ProcessQueue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What Java programs send, sent as they send it: records, enums, ordinary collections and their own classes, through a
 * child, a pool and a queue. Each arrives equal and of the same class; one shared object stays one. The test lives in
 * an application's package, not gil4j's, as a user's code does: its lambdas and records are the application's own.
 */
@Timeout(120)
class OrdinaryValuesTest {
    enum Status { OPEN, PAID }

    record Order(long id, String customer, List<String> items, Map<String, Double> prices, Status status)
            implements Serializable {}

    record Total(long id, double amount) implements Serializable {}

    /** A user's class that is not a record: it goes by Java serialization. */
    static final class Customer implements Serializable {
        private static final long serialVersionUID = 1L;
        final String name;
        final List<Order> orders = new ArrayList<>();

        Customer(String name) {
            this.name = name;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Customer customer && customer.name.equals(name) && customer.orders.equals(orders);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, orders);
        }
    }

    static Order order(long id) {
        Map<String, Double> prices = new HashMap<>();
        prices.put("tea", 3.5);
        prices.put("cake", 4.0 + id);
        return new Order(id, "Kim", new ArrayList<>(List.of("tea", "cake")), prices, Status.values()[(int) id % 2]);
    }

    static Total total(Order order) {
        return new Total(order.id(), order.prices().values().stream().mapToDouble(Double::doubleValue).sum());
    }

    static void echo(Connection connection) throws Exception {
        for (;;) {
            Object message;
            try {
                message = connection.recv();
            } catch (java.io.EOFException closed) {
                return;
            }
            connection.send(message);
        }
    }

    @Test
    void valuesOfEveryOrdinaryKindCrossAChildAndBackEqualAndOfTheSameClass() throws Exception {
        Customer customer = new Customer("Kim");
        customer.orders.add(order(1));
        Order shared = order(2);
        Map<String, Object> linked = new LinkedHashMap<>();
        linked.put("z", Status.PAID);
        linked.put("a", List.of(order(3), Set.of(1, 2)));
        List<Object> messages = List.of(order(1), Status.OPEN, TimeUnit.SECONDS, new ArrayList<>(List.of(order(4),
                order(5))), linked, new LinkedHashSet<>(List.of("c", "b", "a")), customer, new Object[] {1, "x"});
        Pipe pipe = Pipe.open();
        Connection childEnd = pipe.right();
        JvmProcess echo = new JvmProcess(() -> echo(childEnd));
        echo.start();
        try (Connection parent = pipe.left()) {
            for (Object message : messages) {
                parent.send(message);
                Object back = parent.recv();
                assertThat(back).isExactlyInstanceOf(message.getClass());
                if (message instanceof Object[] array) {
                    assertThat((Object[]) back).containsExactly(array);
                } else {
                    assertThat(back).isEqualTo(message);
                }
            }
            List<Object> twice = new ArrayList<>(List.of(shared, shared));
            parent.send(twice);
            List<?> back = (List<?>) parent.recv();
            assertThat(back).isEqualTo(twice);
            assertThat(back.get(0)).as("one shared record stays one").isSameAs(back.get(1));
        }
        echo.join();
        assertThat(echo.exitCode()).hasValue(0);
    }

    @Test
    void aPoolMapsRecordsAndAQueueCarriesThem() throws Exception {
        List<Order> orders = new ArrayList<>();
        for (long id = 0; id < 50; id++) {
            orders.add(order(id));
        }
        try (ProcessPool pool = ProcessPool.create(2)) {
            List<Total> totals = pool.map(OrdinaryValuesTest::total, orders);
            assertThat(pool.map((Order o) -> o.status(), orders.subList(0, 2))).as("a lambda, not a method reference")
                    .containsExactly(Status.OPEN, Status.PAID);
            assertThat(totals).hasSize(50).first().isEqualTo(new Total(0, 7.5));
            assertThat(totals.get(49)).isEqualTo(total(order(49)));
        }
        try (ProcessQueue<Order> queue = ProcessQueue.create()) {
            queue.put(order(7));
            assertThat(queue.get()).isEqualTo(order(7));
        }
    }

    @Test
    void aLibrarysClassIsRefusedUntilAllowedAndChildrenStartedAfterAllowItToo() throws Exception {
        JvmProcess sendsGuava = new JvmProcess(() -> (Serializable) ImmutableList.of(1, 2));
        sendsGuava.start();
        sendsGuava.join();
        assertThatThrownBy(sendsGuava::result).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("com.google.common.collect.ImmutableList")
                .hasMessageContaining("ClassAllowList.allow");

        ClassAllowList.allow("com.google.common.collect.*");
        Pipe pipe = Pipe.open();
        Connection childEnd = pipe.right();
        JvmProcess echo = new JvmProcess(() -> echo(childEnd));
        echo.start();
        try (Connection parent = pipe.left()) {
            parent.send(ImmutableList.of("a", "b"));
            assertThat(parent.recv()).as("the child got this JVM's list").isEqualTo(List.of("a", "b"));
        }
        echo.join();
        assertThat(echo.exitCode()).hasValue(0);
    }
}
