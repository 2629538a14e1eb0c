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
 * {@link GlobalInterpreterLock#allowThreads(BlockingCallable)}, or other threads cannot run meanwhile. Like a Python
 * thread's target, it may throw anything, checked exceptions included (a {@link Target}): what it throws reaches the
 * uncaught-exception handler unchanged, as an ordinary thread's would.
 *
 * <pre>{@code
 * GilThread reader = new GilThread(gil, () -> {
 *     String line = gil.allowThreads(() -> in.readLine());   // IOException: the handler gets it
 *     handle(line);
 * });
 * }</pre>
 */
public class GilThread extends Thread {
    private final GlobalInterpreterLock gil;
    private final Runnable target;

    /**
     * A thread's target that may throw checked exceptions, as a Python thread's target may raise anything. It is a
     * {@link Runnable} whose {@code run()} rethrows what {@link #call()} throws unchanged, so a lambda whose body
     * throws {@code IOException} is a valid target, and the exception reaches the thread's uncaught-exception handler.
     */
    @FunctionalInterface
    public interface Target extends Runnable {
        /**
         * Runs the target, holding the lock.
         *
         * @throws Exception whatever the target throws
         */
        void call() throws Exception;

        /** Runs {@link #call()}, rethrowing what it throws unchanged, checked or not. */
        @Override
        default void run() {
            try {
                call();
            } catch (Exception e) {
                throw GilThread.<RuntimeException>rethrow(e);
            }
        }
    }

    /** Throws {@code e} as it is: the compiler's check of checked exceptions does not exist at run time. */
    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X rethrow(Throwable e) throws X {
        throw (X) e;
    }

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
     * Creates a thread that will run {@code target}, which may throw checked exceptions, holding {@code gil}, with a
     * generated name.
     *
     * @param gil the lock to hold while the target runs
     * @param target what to run
     */
    public GilThread(GlobalInterpreterLock gil, Target target) {
        this(gil, (Runnable) target);
    }

    /**
     * Creates a named thread that will run {@code target}, which may throw checked exceptions, holding {@code gil}.
     *
     * @param gil the lock to hold while the target runs
     * @param target what to run
     * @param name the thread's name
     */
    public GilThread(GlobalInterpreterLock gil, Target target, String name) {
        this(gil, (Runnable) target, name);
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
