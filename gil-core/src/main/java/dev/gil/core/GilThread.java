package dev.gil.core;

import java.util.Objects;

/**
 * A thread whose target runs holding a {@link GlobalInterpreterLock}: Python's {@code Thread(target=do_work)}, where
 * every thread runs Python code only while it holds the GIL.
 *
 * <p>The thread acquires the lock before the target starts and releases every hold it still has when the target
 * returns or throws, so a {@code GilThread} never leaves the lock held behind it. An exception from the target
 * reaches the thread's {@link Thread.UncaughtExceptionHandler} as usual, after the lock was released. Like any
 * thread, it can be started once.
 *
 * <pre>{@code
 * GilThread th1 = new GilThread(gil, Demo::doWork);   // th1 = Thread(target=do_work)
 * th1.start();                                        // th1.start()
 * th1.join();                                         // th1.join()
 * }</pre>
 *
 * <p>The target should call {@link GlobalInterpreterLock#checkpoint()} in long loops and wrap blocking calls in
 * {@link GlobalInterpreterLock#allowThreads(BlockingCallable)}, or other threads cannot run meanwhile.
 */
public class GilThread extends Thread {
    private final GlobalInterpreterLock gil;
    private final Runnable target;

    /**
     * Creates a thread that will run {@code target} holding {@code gil}, with a generated name.
     *
     * @param gil the lock to hold while the target runs
     * @param target what to run
     */
    public GilThread(GlobalInterpreterLock gil, Runnable target) {
        this.gil = Objects.requireNonNull(gil, "gil");
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * Creates a named thread that will run {@code target} holding {@code gil}.
     *
     * @param gil the lock to hold while the target runs
     * @param target what to run
     * @param name the thread's name
     */
    public GilThread(GlobalInterpreterLock gil, Runnable target, String name) {
        super(Objects.requireNonNull(name, "name"));
        this.gil = Objects.requireNonNull(gil, "gil");
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * Returns the lock this thread holds while its target runs.
     *
     * @return the lock
     */
    public final GlobalInterpreterLock gil() {
        return gil;
    }

    /** Acquires the lock, runs the target, and releases every hold the thread still has, even if it threw. */
    @Override
    public void run() {
        gil.acquire();
        try {
            target.run();
        } finally {
            gil.releaseAtThreadExit(this);
        }
    }
}
