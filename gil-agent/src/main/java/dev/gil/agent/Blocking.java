package dev.gil.agent;

import dev.gil.agent.internal.BlockingCalls;
import dev.gil.core.BlockingCallable;
import dev.gil.core.GilCondition;
import dev.gil.core.GlobalInterpreterLock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Date;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;

/**
 * What the agent puts in place of a blocking JDK call in the classes its {@code blocking=} patterns select: the same
 * call, made with every lock the current thread holds released, as CPython's C code releases the GIL around blocking
 * calls ({@code Py_BEGIN_ALLOW_THREADS}). A thread that holds no lock just makes the call. Each method behaves, returns
 * and throws exactly as the call it replaces. Public only because instrumented classes in any package must be able to
 * call it; not for direct use (write {@link GlobalInterpreterLock#allowThreads} in code you own).
 *
 * <p>The calls released around (I/O ones are in {@link BlockingIo}): {@code Thread.sleep} and {@code join},
 * {@code Object.wait}, {@code LockSupport.park*}, {@code Condition.await*}, {@code Lock.lock} (after a
 * {@code tryLock} that failed), {@code CountDownLatch.await}, {@code Semaphore.acquire}, blocking-queue {@code take},
 * {@code put}, timed {@code poll} and {@code offer}, {@code Future.get}, {@code CompletableFuture.join},
 * {@code Process.waitFor}, stream and reader reads, {@code readLine}, socket {@code accept} and {@code connect},
 * socket-channel reads and writes, {@code Selector.select}, and any of them called through {@code Method.invoke}.
 * A lock or condition of gil4j's own is never released around: taking it is the point.
 */
public final class Blocking {
    private Blocking() {}

    /** Runs {@code call} with the current thread's locks released; its checked exceptions pass through unchanged. */
    static <T> T released(BlockingCallable<T, Exception> call) {
        try {
            return GlobalInterpreterLock.allowThreadsAnyHeld(call);
        } catch (Exception e) {
            throw Blocking.<RuntimeException>sneaky(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X sneaky(Throwable t) throws X {
        throw (X) t;
    }

    // -- threads and time -------------------------------------------------------------------------------------------

    /**
     * {@link Thread#sleep(long)}.
     *
     * @param millis see there
     * @throws InterruptedException see there
     */
    public static void sleep(long millis) throws InterruptedException {
        released(() -> { Thread.sleep(millis); return null; });
    }

    /**
     * {@link Thread#sleep(long, int)}.
     *
     * @param millis see there
     * @param nanos see there
     * @throws InterruptedException see there
     */
    public static void sleep(long millis, int nanos) throws InterruptedException {
        released(() -> { Thread.sleep(millis, nanos); return null; });
    }

    /**
     * {@link TimeUnit#sleep(long)}.
     *
     * @param unit the receiver
     * @param timeout see there
     * @throws InterruptedException see there
     */
    public static void sleep(TimeUnit unit, long timeout) throws InterruptedException {
        released(() -> { unit.sleep(timeout); return null; });
    }

    /**
     * {@link Thread#join()}.
     *
     * @param thread the receiver
     * @throws InterruptedException see there
     */
    public static void join(Thread thread) throws InterruptedException {
        released(() -> { thread.join(); return null; });
    }

    /**
     * {@link Thread#join(long)}.
     *
     * @param thread the receiver
     * @param millis see there
     * @throws InterruptedException see there
     */
    public static void join(Thread thread, long millis) throws InterruptedException {
        released(() -> { thread.join(millis); return null; });
    }

    /**
     * {@link Thread#join(long, int)}.
     *
     * @param thread the receiver
     * @param millis see there
     * @param nanos see there
     * @throws InterruptedException see there
     */
    public static void join(Thread thread, long millis, int nanos) throws InterruptedException {
        released(() -> { thread.join(millis, nanos); return null; });
    }

    /**
     * {@link Object#wait()}.
     *
     * @param monitor the receiver
     * @throws InterruptedException see there
     */
    public static void wait(Object monitor) throws InterruptedException {
        released(() -> { monitor.wait(); return null; });
    }

    /**
     * {@link Object#wait(long)}.
     *
     * @param monitor the receiver
     * @param millis see there
     * @throws InterruptedException see there
     */
    public static void wait(Object monitor, long millis) throws InterruptedException {
        released(() -> { monitor.wait(millis); return null; });
    }

    /**
     * {@link Object#wait(long, int)}.
     *
     * @param monitor the receiver
     * @param millis see there
     * @param nanos see there
     * @throws InterruptedException see there
     */
    public static void wait(Object monitor, long millis, int nanos) throws InterruptedException {
        released(() -> { monitor.wait(millis, nanos); return null; });
    }

    /**
     * {@link Process#waitFor()}.
     *
     * @param process the receiver
     * @return see there
     * @throws InterruptedException see there
     */
    public static int waitFor(Process process) throws InterruptedException {
        return released(process::waitFor);
    }

    /**
     * {@link Process#waitFor(long, TimeUnit)}.
     *
     * @param process the receiver
     * @param timeout see there
     * @param unit see there
     * @return see there
     * @throws InterruptedException see there
     */
    public static boolean waitFor(Process process, long timeout, TimeUnit unit) throws InterruptedException {
        return released(() -> process.waitFor(timeout, unit));
    }

    // -- parking, locks and conditions ----------------------------------------------------------------------------

    /** {@link LockSupport#park()}. */
    public static void park() {
        released(() -> { LockSupport.park(); return null; });
    }

    /**
     * {@link LockSupport#park(Object)}.
     *
     * @param blocker see there
     */
    public static void park(Object blocker) {
        released(() -> { LockSupport.park(blocker); return null; });
    }

    /**
     * {@link LockSupport#parkNanos(long)}.
     *
     * @param nanos see there
     */
    public static void parkNanos(long nanos) {
        released(() -> { LockSupport.parkNanos(nanos); return null; });
    }

    /**
     * {@link LockSupport#parkNanos(Object, long)}.
     *
     * @param blocker see there
     * @param nanos see there
     */
    public static void parkNanos(Object blocker, long nanos) {
        released(() -> { LockSupport.parkNanos(blocker, nanos); return null; });
    }

    /**
     * {@link LockSupport#parkUntil(long)}.
     *
     * @param deadline see there
     */
    public static void parkUntil(long deadline) {
        released(() -> { LockSupport.parkUntil(deadline); return null; });
    }

    /**
     * {@link LockSupport#parkUntil(Object, long)}.
     *
     * @param blocker see there
     * @param deadline see there
     */
    public static void parkUntil(Object blocker, long deadline) {
        released(() -> { LockSupport.parkUntil(blocker, deadline); return null; });
    }

    /**
     * {@link Condition#await()}; a {@link GilCondition} lets go of its own lock.
     *
     * @param condition the receiver
     * @throws InterruptedException see there
     */
    public static void await(Condition condition) throws InterruptedException {
        if (condition instanceof GilCondition) {
            condition.await();
        } else {
            released(() -> { condition.await(); return null; });
        }
    }

    /**
     * {@link Condition#await(long, TimeUnit)}.
     *
     * @param condition the receiver
     * @param time see there
     * @param unit see there
     * @return see there
     * @throws InterruptedException see there
     */
    public static boolean await(Condition condition, long time, TimeUnit unit) throws InterruptedException {
        return condition instanceof GilCondition ? condition.await(time, unit)
                : released(() -> condition.await(time, unit));
    }

    /**
     * {@link Condition#awaitNanos(long)}.
     *
     * @param condition the receiver
     * @param nanos see there
     * @return see there
     * @throws InterruptedException see there
     */
    public static long awaitNanos(Condition condition, long nanos) throws InterruptedException {
        return condition instanceof GilCondition ? condition.awaitNanos(nanos)
                : released(() -> condition.awaitNanos(nanos));
    }

    /**
     * {@link Condition#awaitUninterruptibly()}.
     *
     * @param condition the receiver
     */
    public static void awaitUninterruptibly(Condition condition) {
        if (condition instanceof GilCondition) {
            condition.awaitUninterruptibly();
        } else {
            released(() -> { condition.awaitUninterruptibly(); return null; });
        }
    }

    /**
     * {@link Condition#awaitUntil(Date)}.
     *
     * @param condition the receiver
     * @param deadline see there
     * @return see there
     * @throws InterruptedException see there
     */
    public static boolean awaitUntil(Condition condition, Date deadline) throws InterruptedException {
        return condition instanceof GilCondition ? condition.awaitUntil(deadline)
                : released(() -> condition.awaitUntil(deadline));
    }

    /**
     * {@link Lock#lock()}: tries first, releases only to wait; a gil4j lock is taken as it is.
     *
     * @param lock the receiver
     */
    public static void lock(Lock lock) {
        if (lock instanceof GlobalInterpreterLock) {
            lock.lock();
        } else if (!lock.tryLock()) {
            released(() -> { lock.lock(); return null; });
        }
    }

    /**
     * {@link Lock#lockInterruptibly()}.
     *
     * @param lock the receiver
     * @throws InterruptedException see there
     */
    public static void lockInterruptibly(Lock lock) throws InterruptedException {
        if (lock instanceof GlobalInterpreterLock) {
            lock.lockInterruptibly();
        } else if (!lock.tryLock()) {
            released(() -> { lock.lockInterruptibly(); return null; });
        }
    }

    /**
     * {@link Lock#tryLock(long, TimeUnit)}.
     *
     * @param lock the receiver
     * @param time see there
     * @param unit see there
     * @return see there
     * @throws InterruptedException see there
     */
    public static boolean tryLock(Lock lock, long time, TimeUnit unit) throws InterruptedException {
        if (lock instanceof GlobalInterpreterLock) {
            return lock.tryLock(time, unit);
        }
        return lock.tryLock() || released(() -> lock.tryLock(time, unit));
    }

    /**
     * {@link CountDownLatch#await()}.
     *
     * @param latch the receiver
     * @throws InterruptedException see there
     */
    public static void await(CountDownLatch latch) throws InterruptedException {
        released(() -> { latch.await(); return null; });
    }

    /**
     * {@link CountDownLatch#await(long, TimeUnit)}.
     *
     * @param latch the receiver
     * @param timeout see there
     * @param unit see there
     * @return see there
     * @throws InterruptedException see there
     */
    public static boolean await(CountDownLatch latch, long timeout, TimeUnit unit) throws InterruptedException {
        return released(() -> latch.await(timeout, unit));
    }

    /**
     * {@link Semaphore#acquire()}.
     *
     * @param semaphore the receiver
     * @throws InterruptedException see there
     */
    public static void acquire(Semaphore semaphore) throws InterruptedException {
        released(() -> { semaphore.acquire(); return null; });
    }

    /**
     * {@link Semaphore#acquire(int)}.
     *
     * @param semaphore the receiver
     * @param permits see there
     * @throws InterruptedException see there
     */
    public static void acquire(Semaphore semaphore, int permits) throws InterruptedException {
        released(() -> { semaphore.acquire(permits); return null; });
    }

    /**
     * {@link Semaphore#acquireUninterruptibly()}.
     *
     * @param semaphore the receiver
     */
    public static void acquireUninterruptibly(Semaphore semaphore) {
        released(() -> { semaphore.acquireUninterruptibly(); return null; });
    }

    /**
     * {@link Semaphore#tryAcquire(long, TimeUnit)}.
     *
     * @param semaphore the receiver
     * @param timeout see there
     * @param unit see there
     * @return see there
     * @throws InterruptedException see there
     */
    public static boolean tryAcquire(Semaphore semaphore, long timeout, TimeUnit unit) throws InterruptedException {
        return released(() -> semaphore.tryAcquire(timeout, unit));
    }

    // -- queues and futures -----------------------------------------------------------------------------------------

    /**
     * {@link BlockingQueue#take()}.
     *
     * @param queue the receiver
     * @return see there
     * @throws InterruptedException see there
     */
    public static Object take(BlockingQueue<?> queue) throws InterruptedException {
        return released(queue::take);
    }

    /**
     * {@link BlockingQueue#put(Object)}.
     *
     * @param queue the receiver
     * @param element see there
     * @throws InterruptedException see there
     */
    @SuppressWarnings("unchecked")
    public static void put(BlockingQueue<?> queue, Object element) throws InterruptedException {
        released(() -> { ((BlockingQueue<Object>) queue).put(element); return null; });
    }

    /**
     * {@link BlockingQueue#poll(long, TimeUnit)}.
     *
     * @param queue the receiver
     * @param timeout see there
     * @param unit see there
     * @return see there
     * @throws InterruptedException see there
     */
    public static Object poll(BlockingQueue<?> queue, long timeout, TimeUnit unit) throws InterruptedException {
        return released(() -> queue.poll(timeout, unit));
    }

    /**
     * {@link BlockingQueue#offer(Object, long, TimeUnit)}.
     *
     * @param queue the receiver
     * @param element see there
     * @param timeout see there
     * @param unit see there
     * @return see there
     * @throws InterruptedException see there
     */
    @SuppressWarnings("unchecked")
    public static boolean offer(BlockingQueue<?> queue, Object element, long timeout, TimeUnit unit)
            throws InterruptedException {
        return released(() -> ((BlockingQueue<Object>) queue).offer(element, timeout, unit));
    }

    /**
     * {@link Future#get()}.
     *
     * @param future the receiver
     * @return see there
     * @throws InterruptedException see there
     * @throws ExecutionException see there
     */
    public static Object get(Future<?> future) throws InterruptedException, ExecutionException {
        return future.isDone() ? future.get() : released(future::get);
    }

    /**
     * {@link Future#get(long, TimeUnit)}.
     *
     * @param future the receiver
     * @param timeout see there
     * @param unit see there
     * @return see there
     * @throws InterruptedException see there
     * @throws ExecutionException see there
     * @throws TimeoutException see there
     */
    public static Object get(Future<?> future, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.isDone() ? future.get() : released(() -> future.get(timeout, unit));
    }

    /**
     * {@link CompletableFuture#join()}.
     *
     * @param future the receiver
     * @return see there
     */
    public static Object join(CompletableFuture<?> future) {
        return future.isDone() ? future.join() : released(future::join);
    }

    // -- reflection -------------------------------------------------------------------------------------------------

    /**
     * {@link Method#invoke(Object, Object...)}, released around when the method is one of the blocking ones (or
     * overrides one): how Jython, and any code that calls Java by reflection, reaches them.
     *
     * @param method the receiver
     * @param target see there
     * @param args see there
     * @return see there
     * @throws IllegalAccessException see there
     * @throws InvocationTargetException see there
     */
    public static Object invoke(Method method, Object target, Object[] args)
            throws IllegalAccessException, InvocationTargetException {
        if (!BlockingCalls.isBlocking(method) || target instanceof GlobalInterpreterLock
                || target instanceof GilCondition) {
            return method.invoke(target, args);
        }
        return released(() -> method.invoke(target, args));
    }
}
