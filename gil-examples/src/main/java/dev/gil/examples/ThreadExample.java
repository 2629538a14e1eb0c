package dev.gil.examples;

import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;

/**
 * The seed's snippet, line for line:
 *
 * <pre>
 * th1 = Thread(target=do_work)        GilThread th1 = new GilThread(gil, ThreadExample::doWork);
 * th1.start()                         th1.start();
 * th1.join()                          th1.join();
 * </pre>
 *
 * <p>{@code doWork} runs holding the interpreter lock, as every Python thread runs Python code holding the GIL.
 */
public final class ThreadExample {
    /** One lock for the whole "interpreter", like CPython's single GIL. */
    static final GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("interpreter").build();

    private ThreadExample() {}

    static void doWork() {
        long checksum = Work.countdown(gil, 10_000);
        System.out.printf("  do_work ran in %s holding the GIL: %b (checksum %x)%n",
                Thread.currentThread().getName(), gil.isHeldByCurrentThread(), checksum);
    }

    /**
     * Runs the snippet.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        GilThread th1 = new GilThread(gil, ThreadExample::doWork, "th1");
        th1.start();
        th1.join();
        System.out.printf("  th1 joined; the GIL is free again: %b%n", !gil.isLocked());
    }
}
