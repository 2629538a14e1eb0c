package dev.gil.core;

import static com.google.common.base.Preconditions.checkArgument;

import dev.gil.core.internal.EventuallyFairScheduler;
import dev.gil.core.internal.FairScheduler;
import dev.gil.core.internal.IoPriorityScheduler;
import dev.gil.core.internal.Nanos;
import dev.gil.core.internal.SwitchIntervalScheduler;
import dev.gil.core.internal.UnfairScheduler;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides who runs next under a {@link GlobalInterpreterLock}: whether an arriving thread may take a free lock ahead
 * of the queue, when the holder is asked to drop the lock, and who gets it when the holder lets go.
 *
 * <p>The lock owns the mechanism (ownership, the wait queue, parking, the eval breaker); the scheduler only decides.
 * Built-in policies:
 *
 * <table>
 *   <caption>Built-in schedulers</caption>
 *   <tr><th>factory</th><th>behaviour</th><th>modelled on</th></tr>
 *   <tr><td>{@link #unfair()}</td><td>barging: anyone may grab a free lock, the releaser included; no handoff;
 *       a checkpoint with waiters releases and races for the lock again</td><td>the phone booth</td></tr>
 *   <tr><td>{@link #fair()}</td><td>strict FIFO: release, and every checkpoint while someone waits, hands the lock
 *       to the longest waiter</td><td>Ruby's GVL queue</td></tr>
 *   <tr><td>{@link #switchInterval(Duration)}</td><td>a waiter waits one interval, then requests a drop; the
 *       holder hands the lock to the longest waiter at its next checkpoint (forced switching)</td>
 *       <td>CPython 3.2+, 5 ms</td></tr>
 *   <tr><td>{@link #ioPriority()}</td><td>a thread returning from {@code allowThreads} preempts a CPU-bound
 *       holder at its next checkpoint; otherwise the 5 ms switch interval</td><td>Beazley's convoy fix</td></tr>
 *   <tr><td>{@link #eventuallyFair(Duration)}</td><td>barging until a waiter has waited longer than the bound,
 *       then direct handoff to it</td><td>Go's {@code sync.Mutex} starvation mode</td></tr>
 * </table>
 *
 * <h2>Writing a scheduler</h2>
 * Implement {@link #mayBarge}, {@link #shouldRequestDrop} and {@link #successor}; override
 * {@link #recheckIntervalNanos} for a policy that depends on time passing while nobody acts (its default asks only on
 * events). The lock calls them under its internal guard, one call at a time, so a scheduler needs no synchronization
 * of its own as long as it keeps no state beyond its configuration (keep it stateless: one instance may serve many
 * locks). Callbacks must be quick, must not block, must not call back into the lock and must not throw; whatever they
 * return must be read from the {@link SchedulingContext}. A callback that throws anyway, or names a thread that is not
 * waiting, does not break the lock: that one decision falls back to {@link #unfair()}'s answer and the failure is
 * logged (see {@link GlobalInterpreterLock#scheduler()}). The lock guarantees,
 * whatever the scheduler says:
 * <ul>
 *   <li>mutual exclusion, and a free lock with nobody queued goes to the first thread that asks;</li>
 *   <li>no lost wakeup: when the lock is freed with waiters queued, one of them is woken to compete;</li>
 *   <li>a thread handed the lock by {@link #successor} owns it before it wakes, so nobody can barge in between.</li>
 * </ul>
 *
 * <pre>{@code
 * // Highest Thread priority first, ties in arrival order.
 * final class PriorityScheduler implements HandoffScheduler {
 *     public boolean mayBarge(WaitingThread arriving, SchedulingContext context) {
 *         return arriving.thread().getPriority() >= best(context).thread().getPriority();
 *     }
 *     public boolean shouldRequestDrop(SchedulingContext context) { return !context.waiters().isEmpty(); }
 *     public WaitingThread successor(HandoffReason reason, SchedulingContext context) { return best(context); }
 *     private static WaitingThread best(SchedulingContext context) {
 *         return context.waiters().stream()
 *                 .max(Comparator.comparingInt((WaitingThread w) -> w.thread().getPriority()))
 *                 .orElseThrow();
 *     }
 * }
 * GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(new PriorityScheduler()).build();
 * }</pre>
 *
 * <p>Java cannot preempt a thread: whatever the scheduler decides, the holder lets go only at
 * {@link GlobalInterpreterLock#checkpoint()}, {@link GlobalInterpreterLock#allowThreads(BlockingCallable)} and
 * {@link GlobalInterpreterLock#release()}, exactly as CPython's holder lets go only where its eval loop checks the
 * eval breaker.
 */
public interface HandoffScheduler {

    /** CPython's default switch interval ({@code sys.getswitchinterval()} = 0.005 s). */
    Duration DEFAULT_SWITCH_INTERVAL = Duration.ofMillis(5);

    /**
     * Tells whether a thread may take the free lock although other threads are queued. Not asked when nobody is
     * queued: a free lock with an empty queue always goes to the first thread that asks.
     *
     * @param candidate the thread that wants the lock; it may or may not be in {@code context.waiters()}
     * @param context the lock's state
     * @return {@code true} to let it take the lock now, {@code false} to make it wait
     */
    boolean mayBarge(WaitingThread candidate, SchedulingContext context);

    /**
     * Tells whether the holder should let go at its next {@link GlobalInterpreterLock#checkpoint()}: the eval
     * breaker. Asked when a thread starts to wait, when a waiter's {@link #recheckIntervalNanos()} has passed, and
     * after every change of holder.
     *
     * @param context the lock's state; {@code context.waiters()} may be empty
     * @return {@code true} to request a drop
     */
    boolean shouldRequestDrop(SchedulingContext context);

    /**
     * Chooses who gets the lock when the holder lets go while threads are queued. Also asked, with
     * {@link HandoffReason#CHECKPOINT}, whenever a drop is requested, to predict the successor (who then spins rather
     * than parks): so the answer must depend on the context only.
     *
     * @param reason why the holder lets go
     * @param context the lock's state; {@code context.waiters()} is not empty
     * @return one of {@code context.waiters()}, to hand it the lock directly; or {@code null} to free the lock and
     *     let a woken waiter race for it with any arriving thread (including, at a checkpoint, the holder itself)
     */
    WaitingThread successor(HandoffReason reason, SchedulingContext context);

    /**
     * Returns how often a waiting thread wakes up to ask {@link #shouldRequestDrop} again: CPython's waiter times
     * out once per switch interval. The default, {@link Long#MAX_VALUE}, asks only on events.
     *
     * @return a positive number of nanoseconds
     */
    default long recheckIntervalNanos() {
        return Long.MAX_VALUE;
    }

    /**
     * The phone booth: no queue, and whoever is fastest when the door is released gets the booth, the man who just
     * left included. A {@link GlobalInterpreterLock#checkpoint()} with waiters releases the lock and races for it
     * again, which the holder usually wins: high throughput, no fairness (CPython 2's GIL on a multicore machine).
     *
     * @return the barging scheduler
     */
    static HandoffScheduler unfair() {
        return UnfairScheduler.INSTANCE;
    }

    /**
     * Strict FIFO handoff: {@link GlobalInterpreterLock#release()}, and every
     * {@link GlobalInterpreterLock#checkpoint()} while someone waits, hands ownership directly to the longest waiter.
     * Lowest waiting latency, most switches.
     *
     * @return the first-in first-out scheduler
     */
    static HandoffScheduler fair() {
        return FairScheduler.INSTANCE;
    }

    /**
     * CPython's GIL since 3.2: a waiter waits one interval; if the holder did not change meanwhile, it requests a
     * drop, and the holder hands the lock to the longest waiter at its next checkpoint. The dropping thread cannot
     * take the lock back before a waiter ran (forced switching). Nobody waiting, no drop.
     *
     * <p>Each rule, and the code of CPython 3.11's {@code Python/ceval_gil.c} it reproduces:
     * <ul>
     *   <li>A waiter rechecks once per interval, and requests a drop only if a whole interval passed since it began
     *       to wait and since the lock last changed hands ({@code take_gil}: a timed wait of {@code interval}, then
     *       {@code SET_GIL_DROP_REQUEST} if it timed out and {@code switch_number} did not change).</li>
     *   <li>The holder drops only at a {@link GlobalInterpreterLock#checkpoint()} ({@code eval_breaker}, checked
     *       between bytecodes), and then hands the lock to a waiter and queues behind it, so it cannot take the lock
     *       back first ({@code drop_gil} with {@code FORCE_SWITCHING}: it waits on {@code switch_cond} until another
     *       thread took the GIL). CPython's waiter is whichever one the condition variable wakes; here the longest
     *       waiter.</li>
     *   <li>A voluntary release ({@link GlobalInterpreterLock#release()}, {@code allowThreads}) with no drop
     *       requested hands nothing over: it frees the lock, wakes one waiter, and whoever gets there first takes it,
     *       the releaser too, coming back from a short blocking call ({@code drop_gil} without a pending request
     *       signals {@code cond} and returns; {@code take_gil} takes a free GIL at once). Which one wins is a race in
     *       both, so an echo thread beside a CPU-bound one waits one interval per request on some runs and two on
     *       others, in CPython and here alike.</li>
     *   <li>A voluntary release while a drop is requested is a forced switch: the longest waiter gets the lock
     *       ({@code drop_gil} waits for the switch whenever {@code gil_drop_request} is set).</li>
     *   <li>A thread that takes the lock clears the drop request ({@code take_gil}'s
     *       {@code RESET_GIL_DROP_REQUEST}), and the next waiter's interval starts again from that moment.</li>
     * </ul>
     *
     * @param interval the switch interval, like {@code sys.setswitchinterval}; CPython's default is 5 ms
     * @return the switch-interval scheduler
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     */
    static HandoffScheduler switchInterval(Duration interval) {
        return new SwitchIntervalScheduler(positiveNanos(interval, "interval"));
    }

    /**
     * I/O priority, Beazley's fix for the convoy effect: a thread coming back from
     * {@link GlobalInterpreterLock#allowThreads(BlockingCallable)} requests a drop at once and is handed the lock at
     * the holder's next checkpoint. Between CPU-bound threads it behaves like {@code switchInterval(5 ms)}.
     *
     * @return the I/O-priority scheduler
     */
    static HandoffScheduler ioPriority() {
        return new IoPriorityScheduler(DEFAULT_SWITCH_INTERVAL.toNanos());
    }

    /**
     * Barging until some waiter has waited longer than {@code bound}, then direct handoff to it: Go's
     * {@code sync.Mutex} starvation mode (1 ms there) and CPython 3.13's {@code PyMutex}. Throughput of
     * {@link #unfair()} with a bounded longest wait.
     *
     * @param bound the longest wait before the scheduler turns fair
     * @return the eventually-fair scheduler
     * @throws IllegalArgumentException if {@code bound} is zero or negative
     */
    static HandoffScheduler eventuallyFair(Duration bound) {
        return new EventuallyFairScheduler(positiveNanos(bound, "bound"));
    }

    private static long positiveNanos(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        checkArgument(!duration.isNegative() && !duration.isZero(), "%s must be positive but was %s", what, duration);
        return Nanos.saturated(duration);
    }
}
