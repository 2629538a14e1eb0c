package dev.gil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.xml.parsers.DocumentBuilderFactory;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class ObservabilityTest {
    private static final ObjectMapper json = new ObjectMapper();

    @Test
    void timingsAgreeWithAKnownSchedule() throws Exception {
        FakeTicker ticker = new FakeTicker();
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair()).ticker(ticker)
                .name("timed").recordTimings(true).build();
        Threads threads = new Threads();
        gil.acquire();
        ticker.advance(Duration.ofMillis(10));
        threads.start("second", () -> {
            gil.acquire();
            ticker.advance(Duration.ofMillis(7));
            gil.release();
        });
        Threads.await("second is queued", () -> gil.getQueueLength() == 1);
        ticker.advance(Duration.ofMillis(3));
        gil.checkpoint(); // forced switch after 3 ms of drop request: second runs 7 ms inside it
        ticker.advance(Duration.ofMillis(2));
        gil.release();
        threads.joinAll();

        GilStats stats = gil.stats();
        assertThat(stats.timingsRecorded()).isTrue();
        ThreadTimes main = stats.threads().stream().filter(t -> t.threadName().equals(Thread.currentThread().getName()))
                .findFirst().orElseThrow();
        ThreadTimes second = stats.threads().stream().filter(t -> t.threadName().equals("second")).findFirst()
                .orElseThrow();
        assertThat(main.heldNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(13 + 2));
        assertThat(main.waitedNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(7));
        assertThat(second.heldNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(7));
        assertThat(second.waitedNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3));
        assertThat(second.waits().count()).isEqualTo(1);
        assertThat(stats.lockLoad()).isCloseTo(1.0, within(1e-9)); // someone held it all 22 ms
        assertThat(stats.fairnessIndex()).isCloseTo(22.0 * 22 / (2 * (15.0 * 15 + 7 * 7)), within(1e-9));
        assertThat(stats.dropRequestLatency().count()).isEqualTo(1);
        assertThat(stats.dropRequestLatency().p50()).isBetween(TimeUnit.MILLISECONDS.toNanos(3) - 5_000,
                TimeUnit.MILLISECONDS.toNanos(3) + 5_000);
        assertThat(stats.forcedSwitches()).isEqualTo(1);
        assertThat(stats.toString()).contains("lock load", "fairness (Jain)", "second");

        gil.resetTimings();
        assertThat(gil.stats().threads()).isEmpty();
    }

    @Test
    void resetTimingsForgetsWhatCameBeforeAndKeepsWhatComesAfter() throws Exception {
        FakeTicker ticker = new FakeTicker();
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().ticker(ticker).recordTimings(true).build();
        Threads threads = new Threads();
        threads.start("before only", () -> {
            gil.acquire();
            ticker.advance(Duration.ofMillis(4));
            gil.release();
        });
        threads.joinAll();
        gil.acquire();
        ticker.advance(Duration.ofMillis(5));
        gil.release();
        assertThat(gil.stats().threads()).hasSize(2);

        gil.resetTimings();
        assertThat(gil.stats().threads()).isEmpty();
        gil.acquire();
        ticker.advance(Duration.ofMillis(2));
        gil.release();

        List<ThreadTimes> after = gil.stats().threads();
        assertThat(after).extracting(ThreadTimes::threadName).containsExactly(Thread.currentThread().getName());
        assertThat(after.get(0).heldNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(2));
        assertThat(after.get(0).holds().count()).isEqualTo(1);
        assertThat(gil.stats().lockLoad()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void withoutTimingsOnlyCountersAreKept() {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        gil.acquire();
        gil.release();
        GilStats stats = gil.stats();
        assertThat(stats.timingsRecorded()).isFalse();
        assertThat(stats.threads()).isEmpty();
        assertThat(stats.lockLoad()).isZero();
        assertThat(stats.dropRequestLatency()).isEqualTo(Percentiles.EMPTY);
        assertThat(stats.acquisitions()).isEqualTo(1);
        assertThat(stats.toString()).doesNotContain("lock load");
    }

    /**
     * Four threads contending with checkpoints under a fair scheduler, so every kind of event happens: this thread
     * holds the lock until all four are queued, so they cannot run one after the other by luck.
     */
    private static void contend(GlobalInterpreterLock gil, int perThread) throws Exception {
        Threads threads = new Threads();
        gil.acquire();
        for (int t = 0; t < 4; t++) {
            threads.start("worker " + t, () -> {
                gil.acquire();
                try {
                    for (int i = 0; i < perThread; i++) {
                        busyMicros(2); // real work between checkpoints, or one thread finishes before others queue
                        gil.checkpoint();
                        if (i % 50 == 0) {
                            gil.allowThreads(Thread::yield);
                        }
                    }
                } finally {
                    gil.release();
                }
            });
        }
        Threads.await("all four workers are queued", () -> gil.getQueueLength() == 4);
        gil.release();
        threads.joinAll();
    }

    private static void busyMicros(long micros) {
        long until = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aTraceWritesChromeJsonWithThreadNamesSpansFlowsAndCounters(@TempDir Path dir) throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair())
                .name("traced").build();
        GilTrace trace = gil.startTrace();
        contend(gil, 500);
        trace.stop();
        assertThat(trace.droppedEvents()).isZero();
        Path file = dir.resolve("trace.json");
        trace.writeChromeJson(file);

        JsonNode root = json.readTree(file.toFile());
        JsonNode events = root.get("traceEvents");
        assertThat(root.get("otherData").get("lock").asText()).isEqualTo("traced");
        Set<String> threadNames = new HashSet<>();
        Set<String> phases = new HashSet<>();
        for (JsonNode event : events) {
            phases.add(event.get("ph").asText());
            if (event.get("name").asText().equals("thread_name")) {
                threadNames.add(event.get("args").get("name").asText());
            }
            if (event.get("ph").asText().equals("X")) {
                assertThat(event.get("ts").asDouble()).isGreaterThanOrEqualTo(0);
                assertThat(event.get("dur").asDouble()).isGreaterThanOrEqualTo(0);
                assertThat(event.get("tid").asInt()).isPositive();
            }
        }
        assertThat(threadNames).contains("worker 0", "worker 1", "worker 2", "worker 3");
        assertThat(phases).contains("M", "X", "i", "s", "f", "C");
        assertThat(events.findValuesAsText("name")).contains("holding the GIL", "waiting for the GIL",
                "released in allowThreads", "drop request", "handoff", "queue");
    }

    @Test
    void aTraceWritesAWellFormedSvgWithOneLanePerThread(@TempDir Path dir) throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair())
                .name("svg").build();
        try (GilTrace trace = gil.startTrace()) {
            contend(gil, 200);
            trace.stop();
            Path file = dir.resolve("trace.svg");
            trace.writeSvg(file);
            Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
            NodeList rects = svg.getElementsByTagName("rect");
            int lanes = 0;
            for (int i = 0; i < rects.getLength(); i++) {
                if ("#f5f5f5".equals(rects.item(i).getAttributes().getNamedItem("fill").getNodeValue())) {
                    lanes++;
                }
            }
            assertThat(lanes).as("four workers and this thread").isEqualTo(5);
            assertThat(Files.readString(file)).doesNotContain("<script", "href=");
        }
    }

    @Test
    void namesWithQuotesNewlinesAndMarkupAreEscaped(@TempDir Path dir) throws Exception {
        String nasty = "a \"quoted\" <lock> & \\ name\nwith a newline";
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name(nasty).build();
        GilTrace trace = gil.startTrace();
        Thread worker = new Thread(() -> {
            gil.acquire();
            gil.release();
        }, "thread </text> & \"x\"");
        worker.start();
        worker.join();
        trace.stop();
        trace.writeChromeJson(dir.resolve("t.json"));
        trace.writeSvg(dir.resolve("t.svg"));
        JsonNode root = json.readTree(dir.resolve("t.json").toFile());
        assertThat(root.get("otherData").get("lock").asText()).isEqualTo(nasty);
        assertThat(root.get("traceEvents").findValuesAsText("name")).contains("thread </text> & \"x\"");
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("t.svg").toFile());
    }

    @Test
    void anEmptyTraceWritesValidFilesAndAnUnwritablePathIsNamed(@TempDir Path dir) throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        GilTrace trace = gil.startTrace();
        trace.stop();
        trace.writeChromeJson(dir.resolve("empty.json"));
        trace.writeSvg(dir.resolve("empty.svg"));
        assertThat(json.readTree(dir.resolve("empty.json").toFile()).get("traceEvents").isArray()).isTrue();
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("empty.svg").toFile());
        Path unwritable = dir.resolve("no/such/dir/trace.json");
        assertThatThrownBy(() -> trace.writeChromeJson(unwritable)).isInstanceOf(IOException.class)
                .hasMessageContaining(unwritable.toString());
        gil.acquire(); // the lock is unaffected
        gil.release();
    }

    @Test
    void aFullBufferKeepsTheNewestEventsAndCountsTheDropped() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        GilTrace trace = gil.startTrace(1_000);
        for (int i = 0; i < 2_000; i++) { // exactly two events each: acquired, released
            gil.acquire();
            gil.release();
        }
        trace.stop();
        assertThat(trace.eventCount()).isEqualTo(1_000);
        assertThat(trace.droppedEvents()).isEqualTo(3_000);
        assertThat(trace.toSvg()).contains("3000 oldest events dropped");
        gil.acquire();
        gil.release();
        assertThat(trace.eventCount()).as("nothing recorded after stop()").isEqualTo(1_000);
    }

    @Test
    void contendingThreadsLoseNoEventsWhileTheBufferHasRoom() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair()).build();
        GilTrace trace = gil.startTrace();
        contend(gil, 300);
        trace.stop();
        assertThat(trace.droppedEvents()).isZero();
        GilStats stats = gil.stats();
        // Every acquisition and every letting-go is one event; waits, handoffs and drop requests add more.
        assertThat(trace.eventCount()).isGreaterThanOrEqualTo(2 * stats.acquisitions());
    }

    @Test
    void oneTraceAtATime() {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("single").build();
        GilTrace first = gil.startTrace();
        assertThatThrownBy(gil::startTrace).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running");
        first.stop();
        gil.startTrace().stop();
        assertThatThrownBy(() -> gil.startTrace(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJfrRecordingContainsTheLocksEvents(@TempDir Path dir) throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair())
                .name("flight").build();
        Path file = dir.resolve("gil.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.gil.Acquire");
            recording.enable("dev.gil.Handoff");
            recording.enable("dev.gil.DropRequest");
            recording.start();
            contend(gil, 200);
            recording.stop();
            recording.dump(file);
        }
        Set<String> seen = new HashSet<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            seen.add(event.getEventType().getName());
            assertThat(event.getString("lock")).isEqualTo("flight");
        }
        assertThat(seen).contains("dev.gil.Acquire", "dev.gil.Handoff", "dev.gil.DropRequest");
    }

    @Test
    void theMxBeanIsVisibleAndUnregisteredOnCloseWithoutLeaks() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("jmx \"visible\"").build();
        gil.acquire();
        gil.release();
        try (GlobalInterpreterLock.Registration registration = gil.registerMBean()) {
            ObjectName name = registration.objectName();
            assertThat(server.isRegistered(name)).isTrue();
            assertThat(server.getAttribute(name, "Acquisitions")).isEqualTo(1L);
            assertThat(server.getAttribute(name, "Scheduler")).isEqualTo("switchInterval(5ms)");
            assertThatThrownBy(gil::registerMBean).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already registered");
        }
        for (int i = 0; i < 200; i++) {
            GlobalInterpreterLock shortLived = GlobalInterpreterLock.builder().name("transient-" + i).build();
            shortLived.registerMBean().close();
        }
        assertThat(server.queryNames(new ObjectName("dev.gil:*"), null)).isEmpty();
    }

    @Test
    void statsOnAQuietLockAreEmptyButValid() {
        GilStats stats = GlobalInterpreterLock.builder().recordTimings(true).build().stats();
        assertThat(stats.threads()).isEqualTo(List.of());
        assertThat(stats.fairnessIndex()).isEqualTo(1.0);
    }
}
