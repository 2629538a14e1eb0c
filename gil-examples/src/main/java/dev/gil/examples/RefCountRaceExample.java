package dev.gil.examples;

import dev.gil.core.GlobalInterpreterLock;
import dev.gil.refcount.IllegalRefCountException;
import dev.gil.refcount.Rc;
import dev.gil.refcount.RefCountMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * "A race in CPython's reference counting leaks memory or kills an object" (Race condition이 일어나면 그 결과는 메모리
 * 유실/object가 죽음이 발생). Two threads take and drop references to the same objects; then the owner drops its own.
 * Every object should be freed exactly once, at the end. With an unsynchronized count, some are never freed (leaked)
 * and some are freed while a thread still uses them; a GIL, a mutex per object or atomics prevent both. Everything is
 * counted, not guessed: freed-early objects are the ones whose use failed with {@link IllegalRefCountException}.
 *
 * <pre>{@code
 * List<RefCountRaceExample.Row> rows = RefCountRaceExample.measure(50, 20_000);
 * }</pre>
 */
public final class RefCountRaceExample {
    private RefCountRaceExample() {}

    /**
     * One mode's outcome.
     *
     * @param mode how the counts were kept
     * @param objects how many objects
     * @param leaked objects never freed
     * @param freedEarly objects freed while a thread still used them
     * @param nanosPerPair time per retain+release pair (with the use of the object between them)
     */
    public record Row(String mode, int objects, int leaked, int freedEarly, double nanosPerPair) {}

    /**
     * Runs every mode.
     *
     * @param objects how many shared objects
     * @param pairsPerObject retain+release pairs each thread makes on each object, both threads at once
     * @return one row per mode
     * @throws Exception if a thread fails unexpectedly
     */
    public static List<Row> measure(int objects, int pairsPerObject) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (RefCountMode mode : List.of(RefCountMode.UNSYNCHRONIZED, RefCountMode.GIL, RefCountMode.PER_OBJECT_LOCK,
                RefCountMode.ATOMIC)) {
            rows.add(run(mode, objects, pairsPerObject));
        }
        return rows;
    }

    private static Row run(RefCountMode mode, int count, int pairs) throws Exception {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("interpreter").build();
        AtomicInteger freed = new AtomicInteger();
        List<Rc<int[]>> objects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] payload = new int[1];
            Rc<int[]> rc = mode == RefCountMode.GIL ? Rc.of(payload, p -> freed.incrementAndGet(), gil)
                    : Rc.of(payload, p -> freed.incrementAndGet(), mode);
            objects.add(rc);
        }
        boolean[] freedEarly = new boolean[count];
        LongAdder elapsed = new LongAdder();
        LongAdder pairsDone = new LongAdder();
        AtomicInteger arrivals = new AtomicInteger();
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            threads[t] = new Thread(() -> {
                boolean underGil = mode == RefCountMode.GIL;
                if (underGil) {
                    gil.acquire();
                }
                long done = 0;
                try {
                    for (int i = 0; i < count; i++) {
                        // Both threads start on object i together and work on it at the same time: a race can only
                        // happen while both change the same count (see StartTogether). Under the GIL, wait without it.
                        int arrived = 2 * (i + 1);
                        if (underGil) {
                            gil.allowThreads(() -> StartTogether.arriveAndWait(arrivals, arrived));
                        } else {
                            StartTogether.arriveAndWait(arrivals, arrived);
                        }
                        long begin = System.nanoTime();
                        Rc<int[]> rc = objects.get(i);
                        try {
                            for (int p = 0; p < pairs; p++) {
                                rc.retain();
                                rc.get()[0]++; // use it
                                rc.release();
                                done++;
                                if (underGil && (p & 15) == 0) {
                                    gil.checkpoint();
                                }
                            }
                        } catch (IllegalRefCountException freedWhileInUse) {
                            freedEarly[i] = true; // racy flag write: any thread setting it is enough
                        }
                        elapsed.add(System.nanoTime() - begin);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    pairsDone.add(done);
                    if (underGil) {
                        gil.release();
                    }
                }
            }, "ref-" + t);
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        int early = 0;
        if (mode == RefCountMode.GIL) {
            gil.acquire();
        }
        try {
            for (int i = 0; i < count; i++) {
                if (freedEarly[i]) {
                    early++;
                    continue; // already freed: our release would be a double release
                }
                try {
                    objects.get(i).release(); // the owner's reference
                } catch (IllegalRefCountException alreadyFreed) {
                    early++;
                }
            }
        } finally {
            if (mode == RefCountMode.GIL) {
                gil.release();
            }
        }
        int leaked = count - freed.get();
        return new Row(mode.name(), count, leaked, early, elapsed.sum() / (double) Math.max(1, pairsDone.sum()));
    }

    /**
     * Runs it and prints the table.
     *
     * @param args ignored
     * @throws Exception if a thread fails unexpectedly
     */
    public static void main(String[] args) throws Exception {
        print(measure(100, 20_000));
    }

    static void print(List<Row> rows) {
        System.out.printf("  %-16s %9s %9s %12s %16s%n", "count kept by", "objects", "leaked", "freed early",
                "ns per pair");
        for (Row row : rows) {
            System.out.printf("  %-16s %,9d %,9d %,12d %16.1f%n", row.mode(), row.objects(), row.leaked(),
                    row.freedEarly(), row.nanosPerPair());
        }
    }
}
