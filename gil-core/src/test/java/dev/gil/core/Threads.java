package dev.gil.core;

import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** Test helpers: threads that report their failures, bounded joins and waits that dump threads when they time out. */
final class Threads {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final List<Thread> started = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Starts a thread; an exception it throws fails {@link #joinAll()}. */
    Thread start(String name, ThrowingRunnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, name);
        thread.setDaemon(true);
        started.add(thread);
        thread.start();
        return thread;
    }

    /** Joins every started thread within {@link #TIMEOUT}, then rethrows the first failure of any of them. */
    void joinAll() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (Thread thread : started) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                fail("thread %s did not finish within %s%n%s", thread.getName(), TIMEOUT, dump());
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a test thread failed", failure.get());
        }
    }

    /** Waits (bounded) for a condition another thread will make true; not a sleep: it returns as soon as it holds. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until %s%n%s", what, dump());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static String dump() {
        StringBuilder out = new StringBuilder("thread dump:\n");
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append(info);
        }
        return out.toString();
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
