package dev.gil.core;

/**
 * How long one thread held and waited for a {@link GlobalInterpreterLock}, from {@link GilStats#threads()} (recorded
 * only with {@link GlobalInterpreterLock.Builder#recordTimings(boolean)}).
 *
 * <pre>{@code
 * for (ThreadTimes t : gil.stats().threads()) {
 *     System.out.printf("%s held %d ms, waited p99 %d us%n", t.threadName(), t.heldNanos() / 1_000_000,
 *             t.waits().p99() / 1_000);
 * }
 * }</pre>
 *
 * @param threadName the thread's name when it last took the lock
 * @param heldNanos total time holding the lock
 * @param waitedNanos total time waiting for it
 * @param holds distribution of single holds, in nanoseconds
 * @param waits distribution of single waits, in nanoseconds (acquisitions that did not wait are not counted)
 */
public record ThreadTimes(String threadName, long heldNanos, long waitedNanos, Percentiles holds, Percentiles waits) {}
