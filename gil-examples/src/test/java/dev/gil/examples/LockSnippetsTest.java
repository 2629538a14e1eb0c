package dev.gil.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.agent.GilAgent;
import dev.gil.core.GilStats;
import dev.gil.core.GilThread;
import dev.gil.core.GilTrace;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffReason;
import dev.gil.core.HandoffScheduler;
import dev.gil.core.Percentiles;
import dev.gil.core.SchedulingContext;
import dev.gil.core.ThreadTimes;
import dev.gil.core.WaitingThread;
import dev.gil.multiprocess.JvmProcess;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Javadoc snippets of {@code gil-core} and {@code gil-agent}, compiled and run; {@link JavadocSnippetsTest} checks
 * that each snippet is here line for line. Each test gives a snippet the variables it names and checks what its
 * comments promise.
 */
@Timeout(120)
class LockSnippetsTest {
    private final List<String> handled = new ArrayList<>();
    private int counter;
    private volatile boolean done;
    private volatile boolean parsing = true;
    private int steps;
    /** The lock {@link #runTheWorkload()} runs on. */
    private GlobalInterpreterLock workloadLock;

    // -- GlobalInterpreterLock ----------------------------------------------------------------------------------------

    static final class Demo {
        static final AtomicInteger runs = new AtomicInteger();

        static void doWork() {
            runs.incrementAndGet();
        }

        static void run() {
            System.out.println("demo ran");
        }
    }

    @Test
    void theLockInItsClassJavadoc() throws Exception {
        int n = 3;
        BufferedReader reader = new BufferedReader(new StringReader("a line\n"));
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();          // switchInterval(5 ms), like CPython

        GilThread th1 = new GilThread(gil, Demo::doWork);                    // th1 = Thread(target=do_work)
        th1.start();
        th1.join();

        try (GlobalInterpreterLock.Held held = gil.hold()) {
            for (int i = 0; i < n; i++) {
                step(i);
                gil.checkpoint();                                              // the eval loop's breaker check
            }
            String line = gil.allowThreads(() -> reader.readLine());           // Py_BEGIN/END_ALLOW_THREADS
            handled.add(line);                                                                        // (test)
        }

        assertThat(Demo.runs).hasPositiveValue();
        assertThat(steps).isEqualTo(3);
        assertThat(handled).containsExactly("a line");
        assertThat(gil.isLocked()).isFalse();
    }

    @Test
    void theLockInItsPackageJavadoc() throws Exception {
        Demo.runs.set(0);                                                                             // (test)
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder()
                .scheduler(HandoffScheduler.switchInterval(Duration.ofMillis(5)))   // CPython's default
                .name("interpreter")
                .build();
        GilThread th1 = new GilThread(gil, Demo::doWork);                           // th1 = Thread(target=do_work)
        th1.start();
        th1.join();

        assertThat(Demo.runs).hasValue(1);
        assertThat(gil.name()).isEqualTo("interpreter");
        assertThat(gil.scheduler().toString()).contains("5");
        assertThat(gil.isLocked()).isFalse();
    }

    private void step(int i) {
        steps++;
    }

    private void step() {
        if (++steps == 100) {
            parsing = false;
        }
    }

    @Test
    void allowThreadsAnyHeldLetsGoOfWhicheverLockTheThreadHolds() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        java.util.concurrent.BlockingQueue<String> replies = new java.util.concurrent.LinkedBlockingQueue<>();
        GilThread replier = new GilThread(gil, () -> replies.add("pong"));                          // (test)
        gil.acquire();
        replier.start();                                                                              // (test)
        String reply = GlobalInterpreterLock.allowThreadsAnyHeld(() -> replies.take());   // what the agent inserts
        assertThat(gil.isHeldByCurrentThread()).isTrue();
        gil.release();
        replier.join();
        assertThat(reply).isEqualTo("pong");
        assertThat(GlobalInterpreterLock.allowThreadsAnyHeld(() -> "no lock held")).isEqualTo("no lock held");
    }

    @Test
    void aConditionLetsOthersRunWhileItWaits() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        Condition ready = gil.newCondition();
        GilThread producer = new GilThread(gil, () -> {
            done = true;
            ready.signalAll();          // notify_all()
        });
        gil.acquire();
        try {
            producer.start();
            while (!done) {
                ready.await();          // wait(): others run meanwhile
            }
        } finally {
            gil.release();
        }
        producer.join();
        assertThat(done).isTrue();
        assertThat(gil.isLocked()).isFalse();
    }

    @Test
    void holdCheckpointAnyHeldAndAllowThreads() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        try (GlobalInterpreterLock.Held held = gil.hold()) {
            counter++;
        }
        gil.acquire();
        try {
            while (parsing) {
                step();
                GlobalInterpreterLock.checkpointAnyHeld();   // what the agent inserts here
            }
            InputStream in = new ByteArrayInputStream(new byte[5000]);
            byte[] data = gil.allowThreads(() -> in.readNBytes(4096));
            assertThat(data).hasSize(4096);
            gil.allowThreads(() -> Thread.sleep(50));   // time.sleep(0.05) releases the GIL too
            gil.allowThreads(() -> Thread.sleep(50));
            assertThat(gil.isHeldByCurrentThread()).isTrue();
        } finally {
            gil.release();
        }
        assertThat(counter).isEqualTo(1);
        assertThat(steps).isEqualTo(100);
    }

    @Test
    void allowThreadsAroundASocketRead() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        byte[] buffer = new byte[16];
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket peer = server.accept();
                GlobalInterpreterLock.Held held = gil.hold()) {
            OutputStream out = peer.getOutputStream();
            out.write(new byte[] {1, 2, 3});
            out.flush();
            int n = gil.allowThreads(() -> socket.getInputStream().read(buffer));   // throws IOException
            assertThat(n).isBetween(1, 3);
        }
    }

    @Test
    void virtualThreads() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        if (Runtime.version().feature() < 21) {
            assertThatThrownBy(gil::virtualThreadFactory).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("21");
            return;
        }
        ThreadFactory virtual = gil.virtualThreadFactory();   // or Executors.newThreadPerTaskExecutor(virtual)
        Thread parked = virtual.newThread(() -> gil.allowThreads(() -> LockSupport.parkNanos(10_000_000)));
        parked.start();                                        // holds the lock, lets it go while parked
        parked.join();
        assertThat(gil.isLocked()).isFalse();
    }

    @Test
    void jmxStatisticsAndTimings() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().recordTimings(true).build();
        workloadLock = gil;
        try (GlobalInterpreterLock.Registration jmx = gil.registerMBean()) {
            runTheWorkload();   // the lock's figures are in JConsole meanwhile
        }
        try (GlobalInterpreterLock.Registration jmx = gil.registerMBean()) {
            // visible in JConsole / VisualVM / JMC under dev.gil
        }
        GilStats stats = gil.stats();
        System.out.printf("%d acquisitions, %d switches, %d forced%n",
                stats.acquisitions(), stats.switches(), stats.forcedSwitches());
        Percentiles waits = gil.stats().dropRequestLatency();
        System.out.println(waits.p99() / 1_000 + " us");
        for (ThreadTimes t : gil.stats().threads()) {
            System.out.printf("%s held %d ms, waited p99 %d us%n", t.threadName(), t.heldNanos() / 1_000_000,
                    t.waits().p99() / 1_000);
        }
        assertThat(stats.acquisitions()).isGreaterThanOrEqualTo(2);
        assertThat(gil.stats().threads()).isNotEmpty();
    }

    private void runTheWorkload() throws InterruptedException {
        runTheWorkload(workloadLock);
    }

    private static void runTheWorkload(GlobalInterpreterLock gil) throws InterruptedException {
        GilThread first = new GilThread(gil, () -> gil.checkpoint());
        GilThread second = new GilThread(gil, () -> gil.checkpoint());
        first.start();
        second.start();
        first.join();
        second.join();
    }

    @Test
    void aTraceWrittenForPerfettoAndAsSvg(@TempDir Path dir) throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        workloadLock = gil;
        GilTrace trace = gil.startTrace();
        runTheWorkload();
        trace.stop();
        trace.writeChromeJson(dir.resolve("gil.json"));   // open in https://ui.perfetto.dev or chrome://tracing
        trace.writeSvg(dir.resolve("gil.svg"));           // open in any browser
        assertThat(Files.readString(dir.resolve("gil.json"))).contains("traceEvents");
        assertThat(Files.readString(dir.resolve("gil.svg"))).startsWith("<svg");
    }

    @Test
    void aGilThreadWhoseTargetThrows() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        BufferedReader in = new BufferedReader(new StringReader("first\n"));
        GilThread reader = new GilThread(gil, () -> {
            String line = gil.allowThreads(() -> in.readLine());   // IOException: the handler gets it
            handle(line);
        });
        reader.start();
        reader.join();
        GilThread th1 = new GilThread(gil, Demo::doWork);   // th1 = Thread(target=do_work)
        th1.start();                                        // th1.start()
        th1.join();                                         // th1.join()
        assertThat(handled).containsExactly("first");
    }

    private void handle(String line) {
        handled.add(line);
    }

    // -- Schedulers -------------------------------------------------------------------------------------------------

    @Test
    void aBuilder() throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder()
                .scheduler(HandoffScheduler.fair())
                .name("interpreter")
                .build();
        assertThat(gil.name()).isEqualTo("interpreter");
    }

    @Test
    void aCustomScheduler() throws Exception {
        // Highest Thread priority first, ties in arrival order.
        final class PriorityScheduler implements HandoffScheduler {
            public boolean mayBarge(WaitingThread arriving, SchedulingContext context) {
                return arriving.thread().getPriority() >= best(context).thread().getPriority();
            }
            public boolean shouldRequestDrop(SchedulingContext context) { return !context.waiters().isEmpty(); }
            public WaitingThread successor(HandoffReason reason, SchedulingContext context) { return best(context); }
            private static WaitingThread best(SchedulingContext context) {
                return context.waiters().stream()
                        .max(Comparator.comparingInt((WaitingThread w) -> w.thread().getPriority()))
                        .orElseThrow();
            }
        }
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(new PriorityScheduler()).build();
        runTheWorkload(gil);
        assertThat(gil.stats().acquisitions()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void whatASchedulerReads() {
        WaitingThread waiter = new WaitingThread() {
            @Override
            public Thread thread() {
                return Thread.currentThread();
            }

            @Override
            public long waitingSinceNanos() {
                return 1_000;
            }

            @Override
            public boolean returningFromAllowThreads() {
                return false;
            }
        };
        SchedulingContext context = new SchedulingContext() {
            @Override
            public long nanoTime() {
                return 9_000;
            }

            @Override
            public List<WaitingThread> waiters() {
                return List.of(waiter);
            }

            @Override
            public long holderSinceNanos() {
                return 0;
            }
        };
        long boundNanos = 5_000;
        boolean starving = !context.waiters().isEmpty()
                && context.nanoTime() - context.waiters().get(0).waitingSinceNanos() > boundNanos;
        WaitingThread longest = context.waiters().get(0);
        long waited = context.nanoTime() - longest.waitingSinceNanos();
        HandoffScheduler atCheckpointsOnly = new HandoffScheduler() {
            @Override
            public boolean mayBarge(WaitingThread candidate, SchedulingContext context) {
                return false;
            }

            @Override
            public boolean shouldRequestDrop(SchedulingContext context) {
                return true;
            }

            @Override
            public WaitingThread successor(HandoffReason reason, SchedulingContext context) {
                return reason == HandoffReason.CHECKPOINT ? context.waiters().get(0) : null;
            }
        };

        assertThat(starving).isTrue();
        assertThat(waited).isEqualTo(8_000);
        assertThat(atCheckpointsOnly.successor(HandoffReason.CHECKPOINT, context)).isSameAs(waiter);
        assertThat(atCheckpointsOnly.successor(HandoffReason.RELEASE, context)).isNull();
    }

    // -- gil-agent ----------------------------------------------------------------------------------------------------

    static final class Parser {
        static final AtomicInteger parsed = new AtomicInteger();
        static final CountDownLatch done = new CountDownLatch(1);

        static void parseEverything() {
            for (int i = 0; i < 1_000; i++) {
                parsed.incrementAndGet();
            }
            done.countDown();
        }
    }

    @Test
    void theAgentsClassJavadoc() throws Exception {
        // java "-javaagent:gil-agent.jar=include=com.example.*;exclude=com.example.generated.*" -cp ... Main
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        new GilThread(gil, Parser::parseEverything).start();  // no checkpoint() in the parser: it still takes turns
        assertThat(Parser.done.await(60, TimeUnit.SECONDS)).as("the GilThread ran its target").isTrue();
        assertThat(Parser.parsed).hasValue(1_000);
    }

    @Test
    void aChildJvmWithTheAgent() throws Exception {
        JvmProcess child = JvmProcess.builder(Demo::run)
                .jvmOptions(GilAgent.javaagentOption("include=com.example.*")).build();
        child.start();
        child.join();
        assertThat(child.exitCode()).hasValue(0);
    }

    static void installTheAgent() {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        GilAgent.install(gil, "include=com.example.*");   // needs -Djdk.attach.allowAttachSelf=true
        if (!GilAgent.isRunning()) {
            throw new IllegalStateException("the agent did not start");
        }
    }

    @Test
    void installingTheAgentAtRunTime() throws Exception {
        JvmProcess child = JvmProcess.builder(LockSnippetsTest::installTheAgent)
                .jvmOptions("-Djdk.attach.allowAttachSelf=true").build();
        child.start();
        child.join();
        assertThat(child.failure()).isEmpty();
        assertThat(child.exitCode()).hasValue(0);
    }

    @Test
    void readsThrowIoExceptionThroughAllowThreads() {
        GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        assertThatThrownBy(() -> {
            try (GlobalInterpreterLock.Held held = gil.hold()) {
                gil.allowThreads(() -> {
                    throw new IOException("the read failed");
                });
            }
        }).isInstanceOf(IOException.class);
        assertThat(gil.isLocked()).isFalse();
    }
}
