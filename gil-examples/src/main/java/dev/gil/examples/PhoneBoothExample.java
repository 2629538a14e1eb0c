package dev.gil.examples;

import dev.gil.core.GilStats;
import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import dev.gil.core.ThreadTimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The seed's phone booth: men (threads) who all want to call their wives, one booth (the lock), and no queue: when the
 * door is released, the fastest man gets in, and the one who just left is the fastest. Each caller makes calls of
 * about 20 µs back to back for a while, under {@code unfair()} (the story), {@code eventuallyFair(1 ms)} and
 * {@code fair()} (a queue at the booth). Measures calls per caller, the longest wait, Jain's fairness and calls per
 * second.
 *
 * <pre>{@code
 * List<PhoneBoothExample.Row> rows = PhoneBoothExample.measure(4, Duration.ofMillis(300));
 * }</pre>
 */
public final class PhoneBoothExample {
    /** The story, quoted: the booth has no queue, and the fastest one gets in. */
    static final String STORY_KOREAN = "줄 서는 질서 문화 따위는 없다. ... 그러면 공중 전화를 쓰기 위해 달려드는 다른 남자들 중 제일 "
            + "빠른 한 명이 부스에 들어가서 똑같이 문을 꼭 잡고 그의 아내와 통화할 수 있다.";
    /** Its translation. */
    static final String STORY_ENGLISH = "There is no culture of queueing at all. ... Then the fastest of the other men "
            + "rushing for the phone gets into the booth, holds the door just as tight, and calls his wife.";
    static final String STORY = STORY_KOREAN + " (" + STORY_ENGLISH + ")";

    private PhoneBoothExample() {}

    /**
     * One scheduler's outcome.
     *
     * @param scheduler the booth's rule
     * @param callsPerCaller calls each caller made
     * @param longestWaitMillis the longest any caller waited for the booth
     * @param fairness Jain's index over time spent in the booth (1 = equal)
     * @param callsPerSecond all calls over the wall time
     */
    public record Row(String scheduler, long[] callsPerCaller, double longestWaitMillis, double fairness,
            double callsPerSecond) {}

    /**
     * Runs the booth under each scheduler.
     *
     * @param callers how many men
     * @param duration how long each scheduler runs
     * @return one row per scheduler
     * @throws InterruptedException if interrupted
     */
    public static List<Row> measure(int callers, Duration duration) throws InterruptedException {
        List<Row> rows = new ArrayList<>();
        for (HandoffScheduler scheduler : List.of(HandoffScheduler.unfair(),
                HandoffScheduler.eventuallyFair(Duration.ofMillis(1)), HandoffScheduler.fair())) {
            rows.add(run(scheduler, callers, duration));
        }
        return rows;
    }

    private static Row run(HandoffScheduler scheduler, int callers, Duration duration) throws InterruptedException {
        GlobalInterpreterLock booth = GlobalInterpreterLock.builder().scheduler(scheduler).name("phone booth")
                .recordTimings(true).build();
        AtomicLongArray calls = new AtomicLongArray(callers);
        long until = System.nanoTime() + duration.toNanos();
        List<Thread> men = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int me = i;
            men.add(new GilThread(booth, () -> {
                booth.release(); // a GilThread starts inside; these men start outside the booth
                while (System.nanoTime() < until) {
                    booth.acquire(); // rush for the door
                    try {
                        busyMicros(20); // the call: he holds the door throughout
                        calls.incrementAndGet(me);
                    } finally {
                        booth.release(); // and runs straight back for his next call
                    }
                }
                booth.acquire(); // GilThread releases at the end
            }, "man-" + (i + 1)));
        }
        long start = System.nanoTime();
        men.forEach(Thread::start);
        for (Thread man : men) {
            man.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        GilStats stats = booth.stats();
        long longestWait = 0;
        for (ThreadTimes times : stats.threads()) {
            longestWait = Math.max(longestWait, times.waits().max());
        }
        long[] perCaller = new long[callers];
        long total = 0;
        for (int i = 0; i < callers; i++) {
            perCaller[i] = calls.get(i);
            total += perCaller[i];
        }
        return new Row(scheduler.toString(), perCaller, TimeUnit.NANOSECONDS.toMicros(longestWait) / 1000.0,
                stats.fairnessIndex(), total / seconds);
    }

    static void busyMicros(long micros) {
        long until = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    /**
     * Runs it and prints the table.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        print(measure(4, Duration.ofMillis(500)));
    }

    static void print(List<Row> rows) {
        System.out.println("  " + STORY);
        System.out.printf("  %-20s %-32s %14s %10s %12s%n", "booth rule", "calls per caller", "longest wait",
                "fairness", "calls/s");
        for (Row row : rows) {
            System.out.printf("  %-20s %-32s %11.1f ms %10.3f %,12.0f%n", row.scheduler(),
                    java.util.Arrays.toString(row.callsPerCaller()), row.longestWaitMillis(), row.fairness(),
                    row.callsPerSecond());
        }
    }
}
