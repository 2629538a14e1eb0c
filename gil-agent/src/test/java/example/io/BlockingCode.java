package example.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/** Code that blocks in JDK calls and knows nothing of any lock: what the agent's {@code blocking=} patterns rewrite. */
public final class BlockingCode {
    private BlockingCode() {}

    public static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    public static String take(BlockingQueue<String> queue) throws InterruptedException {
        return queue.take();
    }

    public static String takeLinked(LinkedBlockingQueue<String> queue) throws InterruptedException {
        return queue.take();
    }

    public static void waitUntil(Object monitor, BooleanSupplier done) throws InterruptedException {
        synchronized (monitor) {
            while (!done.getAsBoolean()) {
                monitor.wait();
            }
        }
    }

    public static void join(Thread thread) throws InterruptedException {
        thread.join();
    }

    public static Object get(Future<?> future) throws InterruptedException, ExecutionException {
        return future.get();
    }

    public static String readLine(BufferedReader reader) throws IOException {
        return reader.readLine();
    }

    public static Object invoke(Method method, Object target, Object... args)
            throws IllegalAccessException, InvocationTargetException {
        return method.invoke(target, args);
    }

    public static void lockAndUnlock(Lock lock) {
        lock.lock();
        lock.unlock();
    }

    public static void await(Condition condition, BooleanSupplier done) throws InterruptedException {
        while (!done.getAsBoolean()) {
            condition.await();
        }
    }
}
