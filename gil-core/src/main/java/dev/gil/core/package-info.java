/**
 * gil4j's core: one {@link dev.gil.core.GlobalInterpreterLock} for a whole "interpreter", whose holder alone runs the
 * code it guards, and a pluggable {@link dev.gil.core.HandoffScheduler} that decides who runs next. CPython's GIL, on
 * the JVM.
 *
 * <p><b>What it guarantees.</b> Mutual exclusion with a happens-before edge from every release to the next
 * acquisition; reentrancy; a holder lets go only at {@link dev.gil.core.GlobalInterpreterLock#checkpoint()
 * checkpoint()}, {@link dev.gil.core.GlobalInterpreterLock#allowThreads(BlockingCallable) allowThreads(...)} and
 * {@code release()}, as CPython's does only at its eval breaker and around blocking C calls. Every type here is
 * thread-safe unless its Javadoc says otherwise; a misuse (a release by a thread that does not hold the lock, a
 * checkpoint without it) is an {@link java.lang.IllegalMonitorStateException} that names the thread and the lock.
 *
 * <pre>{@code
 * GlobalInterpreterLock gil = GlobalInterpreterLock.builder()
 *         .scheduler(HandoffScheduler.switchInterval(Duration.ofMillis(5)))   // CPython's default
 *         .name("interpreter")
 *         .build();
 * GilThread th1 = new GilThread(gil, Demo::doWork);                           // th1 = Thread(target=do_work)
 * th1.start();
 * th1.join();
 * }</pre>
 *
 * <p><b>What is where.</b> The lock and its threads: {@link dev.gil.core.GlobalInterpreterLock},
 * {@link dev.gil.core.GilThread}, {@link dev.gil.core.GilCondition}. Who runs next: {@link dev.gil.core.HandoffScheduler}
 * and what it sees ({@link dev.gil.core.SchedulingContext}, {@link dev.gil.core.WaitingThread},
 * {@link dev.gil.core.HandoffReason}). What happened: {@link dev.gil.core.GilStats} (counters, and per-thread hold and
 * wait percentiles when timings are on), {@link dev.gil.core.GilTrace} (a timeline for Perfetto or an SVG), JFR
 * events and {@link dev.gil.core.GilMXBean}. The state machine knows none of these instruments: it tells one internal
 * observer of its events, with the clock readings it takes anyway, and that observer feeds whichever are on.
 * Everything under {@code dev.gil.core.internal} is implementation and may change in any release.
 */
package dev.gil.core;
