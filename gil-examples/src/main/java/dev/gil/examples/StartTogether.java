package dev.gil.examples;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A spinning rendezvous for racing threads. A thread parked on a barrier or a latch can wake later than another's
 * whole loop takes, and then the two never overlap and nothing races; spinning starts them within nanoseconds.
 *
 * <pre>{@code
 * AtomicInteger arrived = new AtomicInteger();
 * StartTogether.arriveAndWait(arrived, 2);   // in each of two threads
 * }</pre>
 */
final class StartTogether {
    private StartTogether() {}

    /** Counts this thread in, then spins until {@code expected} threads have arrived (at most 10 s). */
    static void arriveAndWait(AtomicInteger arrived, int expected) {
        arrived.incrementAndGet();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (arrived.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + arrived.get() + " of " + expected
                        + " threads arrived within 10 s");
            }
            Thread.onSpinWait();
        }
    }
}
