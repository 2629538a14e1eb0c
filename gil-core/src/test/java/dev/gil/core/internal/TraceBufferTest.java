package dev.gil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import dev.gil.core.internal.TraceBuffer.Event;
import dev.gil.core.internal.TraceBuffer.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TraceBufferTest {
    /** A clock each test moves by hand. */
    private final AtomicLong now = new AtomicLong(1_000);
    private final Ticker ticker = new Ticker() {
        @Override
        public long read() {
            return now.get();
        }
    };

    @Test
    void oneThreadKeepsEveryEventInOrderUpToTheCapacityThenTheNewest() {
        int capacity = 5_000; // more than the first ring: the ring grows to the whole budget
        TraceBuffer buffer = new TraceBuffer(capacity, ticker);
        for (int i = 0; i < capacity; i++) {
            buffer.record(Kind.ACQUIRE, i, null, i);
        }
        assertThat(buffer.contents().events()).hasSize(capacity);
        assertThat(buffer.contents().dropped()).isZero();

        for (int i = capacity; i < capacity + 7; i++) {
            buffer.record(Kind.RELEASE, i, null, i);
        }
        TraceBuffer.Contents contents = buffer.contents();
        assertThat(contents.events()).hasSize(capacity);
        assertThat(contents.dropped()).isEqualTo(7);
        assertThat(contents.events().get(0).queue()).isEqualTo(7);
        assertThat(contents.events().get(capacity - 1).queue()).isEqualTo(capacity + 6);
    }

    @Test
    void eventsOfThreadsMergeByTimeAndAHandoffComesBeforeTheAcquisitionAtTheSameInstant() throws Exception {
        TraceBuffer buffer = new TraceBuffer(100, ticker);
        Thread receiver = new Thread(() -> {
            buffer.record(Kind.WAIT, 5, null, 1);
            buffer.record(Kind.ACQUIRE, 20, null, 0);
        }, "receiver");
        receiver.start();
        receiver.join();
        buffer.record(Kind.ACQUIRE, 1, null, 0);
        buffer.record(Kind.HANDOFF, 20, receiver, 0);
        buffer.record(Kind.WAIT, 10, null, 1); // read earlier than the handoff: kept after it, at its time

        List<Event> events = buffer.contents().events();
        assertThat(events).extracting(Event::kind).containsExactly(Kind.ACQUIRE, Kind.WAIT, Kind.HANDOFF, Kind.WAIT,
                Kind.ACQUIRE);
        assertThat(events).extracting(Event::nanos).containsExactly(1L, 5L, 20L, 20L, 20L);
        assertThat(events.get(2).peer()).isEqualTo(receiver.getId());
        assertThat(buffer.contents().threadNames()).containsValues("receiver", Thread.currentThread().getName());
    }

    @Test
    void aLatecomerGetsTheSmallestRingAndThePictureStartsWhereItsEventsAreComplete() throws Exception {
        TraceBuffer buffer = new TraceBuffer(1_000, ticker);
        for (int i = 0; i < 1_000; i++) { // spends the whole budget
            buffer.record(Kind.ACQUIRE, i, null, 0);
        }
        Thread latecomer = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                buffer.record(Kind.WAIT, 500 + i, null, 0);
            }
        }, "latecomer");
        latecomer.start();
        latecomer.join();

        TraceBuffer.Contents contents = buffer.contents();
        long latecomerEvents = contents.events().stream().filter(e -> e.kind() == Kind.WAIT).count();
        assertThat(latecomerEvents).isEqualTo(TraceBuffer.SMALLEST_RING);
        long cutoff = 500 + 100 - TraceBuffer.SMALLEST_RING;
        assertThat(contents.events()).allSatisfy(event -> assertThat(event.nanos()).isGreaterThanOrEqualTo(cutoff));
        assertThat(contents.events().size() + contents.dropped()).isEqualTo(1_100);
        assertThat(contents.events()).extracting(Event::nanos).isSorted();
    }

    @Test
    void nothingIsRecordedAfterStopAndTheEndIsTheStopTime() {
        TraceBuffer buffer = new TraceBuffer(10, ticker);
        buffer.record(Kind.ACQUIRE, 1_001, null, 0);
        now.set(2_000);
        buffer.stop();
        now.set(3_000);
        buffer.record(Kind.RELEASE, 3_000, null, 0);
        TraceBuffer.Contents contents = buffer.contents();
        assertThat(contents.events()).hasSize(1);
        assertThat(contents.startNanos()).isEqualTo(1_000);
        assertThat(contents.endNanos()).isEqualTo(2_000);
    }

    /**
     * Four threads record into wrapping rings while this one reads: every event read is whole (its three fields
     * agree) and each thread's events come in the order recorded, without gaps.
     */
    @Test
    void readingWhileThreadsRecordNeverSeesATornOrMisorderedEvent() throws Exception {
        TraceBuffer buffer = new TraceBuffer(4 * TraceBuffer.SMALLEST_RING, ticker);
        int threads = 4;
        int perThread = 200_000;
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        AtomicBoolean failed = new AtomicBoolean();
        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            writers[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    failed.set(true);
                    return;
                }
                for (int i = 1; i <= perThread; i++) {
                    Thread self = Thread.currentThread();
                    buffer.record(Kind.ACQUIRE, i, null, i); // time, queue and (below) peer all carry i
                    buffer.record(Kind.RELEASE, i, self, i);
                }
            }, "writer-" + t);
            writers[t].start();
        }
        start.await();
        int reads = 0;
        while (reads < 20 || java.util.Arrays.stream(writers).anyMatch(Thread::isAlive)) {
            checkWholeAndInOrder(buffer.contents().events());
            reads++;
        }
        for (Thread writer : writers) {
            writer.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(failed).isFalse();
        TraceBuffer.Contents contents = buffer.contents();
        checkWholeAndInOrder(contents.events());
        assertThat(contents.events().size() + contents.dropped()).isEqualTo(2L * threads * perThread);
    }

    private static void checkWholeAndInOrder(List<Event> events) {
        Map<Long, Event> last = new HashMap<>();
        for (Event event : events) {
            assertThat((long) event.queue()).as("torn event %s", event).isEqualTo(event.nanos());
            if (event.kind() == Kind.RELEASE) {
                assertThat(event.peer()).as("torn event %s", event).isEqualTo(event.thread());
            }
            Event before = last.put(event.thread(), event);
            if (before != null) {
                boolean next = before.kind() == Kind.ACQUIRE
                        ? event.kind() == Kind.RELEASE && event.queue() == before.queue()
                        : event.kind() == Kind.ACQUIRE && event.queue() == before.queue() + 1;
                assertThat(next).as("%s after %s", event, before).isTrue();
            }
        }
    }
}
