package dev.gil.examples;

import demo.DoWork;
import dev.gil.agent.GilAgent;
import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import dev.gil.multiprocess.JvmProcess;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Automatic checkpoints: two {@link GilThread}s run {@link DoWork#spinFor}, a CPU-bound loop with no
 * {@code checkpoint()} call, under {@code switchInterval(5 ms)}. Each run is a JVM of its own: first without the gil4j
 * agent (the second thread starves until the first loop ends: nothing ever checks the breaker), then with it
 * ({@code -javaagent:...=include=demo.*}: the loop's back-edge polls hand the lock over every 5 ms, as CPython's eval
 * loop does).
 *
 * <pre>{@code
 * List<AutoCheckpointExample.Row> rows = AutoCheckpointExample.measure(Duration.ofMillis(300));
 * }</pre>
 */
public final class AutoCheckpointExample {
    private AutoCheckpointExample() {}

    /**
     * What one JVM measured.
     *
     * @param agent whether the agent ran
     * @param secondWaitedMillis how long the second thread waited for the lock while the first looped
     * @param handoffs how many times the lock changed hands
     * @param secondRanBeforeFirstEnded whether the second thread got the lock while the first was still in its loop:
     *     never without the agent (nothing checks the breaker), always with it
     */
    public record Row(boolean agent, double secondWaitedMillis, long handoffs, boolean secondRanBeforeFirstEnded) {}

    /** What the child JVM sends back: the same figures, private, so the public row is no serialized form. */
    private record Measured(boolean agent, double secondWaitedMillis, long handoffs, boolean secondRanBeforeFirstEnded)
            implements Serializable {
        Row row() {
            return new Row(agent, secondWaitedMillis, handoffs, secondRanBeforeFirstEnded);
        }
    }

    /**
     * Runs both ways, each in a child JVM.
     *
     * @param spin how long each thread's loop runs
     * @return without the agent, then with it
     * @throws InterruptedException if interrupted
     */
    public static List<Row> measure(Duration spin) throws InterruptedException {
        long millis = spin.toMillis();
        return List.of(run(JvmProcess.builder(() -> inChild(millis)).name("without-agent").build()),
                run(JvmProcess.builder(() -> inChild(millis)).name("with-agent")
                        .jvmOptions(GilAgent.javaagentOption("include=demo.*")).build()));
    }

    private static Row run(JvmProcess child) throws InterruptedException {
        child.start();
        child.join();
        child.close();
        return ((Measured) child.result()).row();
    }

    /** In the child JVM: the first thread loops; the second asks for the lock as soon as the first runs. */
    static Measured inChild(long millis) throws InterruptedException {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("auto-checkpoint")
                .scheduler(HandoffScheduler.switchInterval(Duration.ofMillis(5))).build();
        CountDownLatch firstRunning = new CountDownLatch(1);
        long[] secondStarted = new long[1];
        long[] firstEnded = new long[1];
        GilThread first = new GilThread(gil, () -> {
            firstRunning.countDown();
            DoWork.spinFor(millis);
            firstEnded[0] = System.nanoTime();
        }, "first");
        GilThread second = new GilThread(gil, () -> {
            secondStarted[0] = System.nanoTime();
            DoWork.spinFor(millis);
        }, "second");
        first.start();
        firstRunning.await();
        long asked = System.nanoTime();
        second.start();
        first.join();
        second.join();
        return new Measured(GilAgent.isRunning(), (secondStarted[0] - asked) / 1e6, gil.stats().handoffs(),
                secondStarted[0] - firstEnded[0] < 0);
    }

    /**
     * Prints the two runs.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        print(measure(Duration.ofMillis(300)));
    }

    static void print(List<Row> rows) {
        System.out.println("Automatic checkpoints: two GilThreads each spin 300 ms in demo.DoWork.spinFor, a loop with");
        System.out.println("no checkpoint() call, under switchInterval(5 ms); one JVM per row.");
        System.out.println();
        System.out.printf(Locale.ROOT, "%-28s %28s %10s%n", "", "second thread waited (ms)", "handoffs");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "%-28s %28.1f %10d%n",
                    row.agent() ? "with the gil4j agent" : "without the agent", row.secondWaitedMillis(),
                    row.handoffs());
        }
        System.out.println();
        System.out.println("Without the agent nothing checks the breaker: the second thread waits for the whole loop.");
        System.out.println("With it, the loop's back-edge polls hand the lock over every switch interval, as");
        System.out.println("CPython's eval loop does between bytecodes.");
    }
}
