package dev.gil.examples;

import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * "Programs that do a lot of I/O are fine with threads" (프로그램에 I/O 작업을 많이하면 파이썬 쓰레드도 좋음): 8
 * {@link GilThread}s each block 4 times for 50 ms inside {@link GlobalInterpreterLock#allowThreads}, against the same
 * 32 waits one after the other. CPython's {@code io} bench does the same with {@code time.sleep(0.05)}.
 *
 * <pre>{@code
 * IoBoundExample.Result result = IoBoundExample.measure(8, 4, 50);
 * }</pre>
 */
public final class IoBoundExample {
    private IoBoundExample() {}

    /**
     * Sequential and threaded wall times.
     *
     * @param sequentialSeconds all waits one after the other
     * @param threadedSeconds the waits spread over the threads
     */
    public record Result(double sequentialSeconds, double threadedSeconds) {
        /**
         * Returns how many times faster the threads were.
         *
         * @return sequential over threaded
         */
        public double speedup() {
            return sequentialSeconds / threadedSeconds;
        }
    }

    /**
     * Measures both ways.
     *
     * @param threads how many threads
     * @param waitsPerThread how many blocking waits each
     * @param waitMillis how long each wait blocks
     * @return the result
     * @throws InterruptedException if interrupted
     */
    public static Result measure(int threads, int waitsPerThread, long waitMillis) throws InterruptedException {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("interpreter").build();
        long start = System.nanoTime();
        gil.acquire();
        try {
            for (int i = 0; i < threads * waitsPerThread; i++) {
                gil.allowThreads(() -> TimeUnit.MILLISECONDS.sleep(waitMillis));
            }
        } finally {
            gil.release();
        }
        double sequential = (System.nanoTime() - start) / 1e9;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new GilThread(gil, () -> {
                try {
                    for (int i = 0; i < waitsPerThread; i++) {
                        gil.allowThreads(() -> TimeUnit.MILLISECONDS.sleep(waitMillis)); // time.sleep releases the GIL
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "io-" + t));
        }
        start = System.nanoTime();
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }
        return new Result(sequential, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Runs it and prints the result.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        print(measure(8, 4, 50));
    }

    static void print(Result result) {
        System.out.printf("  32 waits of 50 ms one after the other: %.3f s; on 8 GilThreads: %.3f s (%.2fx, ideal 8)%n",
                result.sequentialSeconds(), result.threadedSeconds(), result.speedup());
    }
}
