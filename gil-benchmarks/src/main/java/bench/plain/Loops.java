package bench.plain;

import java.util.concurrent.BlockingQueue;

/**
 * A tight CPU-bound loop with no checkpoint() call, and a blocking call that does not block. The same code lives in {@code bench.agent} (instrumented by the
 * gil4j agent in the agent benchmarks) and {@code bench.plain} (never instrumented), so the two compare directly.
 */
public final class Loops {
    private Loops() {}

    /**
     * Runs {@code n} rounds of xorshift: a dependency chain the JIT can neither vectorize nor remove.
     *
     * @param n rounds
     * @return the result
     */
    public static long xorshift(long n) {
        long x = n | 1;
        for (long i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    /**
     * Spins until {@code deadlineNanos} on {@code System.nanoTime()}.
     *
     * @param deadlineNanos when to stop
     * @return the iterations
     */
    public static long spinUntil(long deadlineNanos) {
        long iterations = 0;
        while (System.nanoTime() < deadlineNanos) {
            iterations++;
        }
        return iterations;
    }

    /**
     * Takes an element from a queue that has one and puts it back: two blocking calls that return at once, which the
     * agent's {@code blocking=} patterns make with the lock released.
     *
     * @param queue a queue holding at least one element
     * @return the element
     * @throws InterruptedException never: the queue has an element and room for it
     */
    public static Object takeReady(BlockingQueue<Object> queue) throws InterruptedException {
        Object element = queue.take();
        queue.put(element);
        return element;
    }
}
