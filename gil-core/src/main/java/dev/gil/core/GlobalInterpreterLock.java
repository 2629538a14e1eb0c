package dev.gil.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.base.Ticker;
import dev.gil.core.internal.GuardedScheduler;
import dev.gil.core.internal.LockObserver;
import dev.gil.core.internal.LockObservers;
import dev.gil.core.internal.Nanos;
import dev.gil.core.internal.VirtualThreads;
import dev.gil.core.internal.Waiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lock for a whole "interpreter": only the thread that holds it runs the code it guards, and a pluggable
 * {@link HandoffScheduler} decides who runs next. CPython's Global Interpreter Lock, on the JVM.
 *
 * <p><b>Guarantees.</b> Mutual exclusion, with a happens-before edge from every release to the next acquisition.
 * Reentrant: the holder may acquire again, and must release as many times. Fairness is whatever the scheduler says
 * (the default, {@link HandoffScheduler#switchInterval CPython's 5 ms switch interval}, bounds how long a waiter waits
 * for a holder that keeps calling {@link #checkpoint()}). Thread-safe: every method may be called from any thread.
 *
 * <pre>{@code
 * GlobalInterpreterLock gil = GlobalInterpreterLock.create();          // switchInterval(5 ms), like CPython
 *
 * GilThread th1 = new GilThread(gil, Demo::doWork);                    // th1 = Thread(target=do_work)
 * th1.start();
 * th1.join();
 *
 * try (GlobalInterpreterLock.Held held = gil.hold()) {
 *     for (int i = 0; i < n; i++) {
 *         step(i);
 *         gil.checkpoint();                                              // the eval loop's breaker check
 *     }
 *     String line = gil.allowThreads(() -> reader.readLine());           // Py_BEGIN/END_ALLOW_THREADS
 * }
 * }</pre>
 *
 * <p><b>Java cannot preempt a thread.</b> The holder lets go only at {@link #checkpoint()}, at
 * {@link #allowThreads(BlockingCallable)} and at {@link #release()}. That is CPython's model exactly: its holder lets
 * go only where the eval loop checks {@code eval_breaker} (between bytecodes) or where C code releases the GIL
 * around blocking calls. Code that runs a long loop under the lock without a checkpoint keeps every other thread
 * waiting, whatever the scheduler, just as a long-running C extension call does in CPython.
 *
 * <p><b>Threads that die holding the lock.</b> A thread that took the lock with {@link #acquire()} and terminated
 * without releasing it would block everyone forever. Waiting threads check on the holder at least every
 * {@value #DEAD_HOLDER_CHECK_MILLIS} ms; when it has terminated they log a warning (SLF4J, naming the thread),
 * release the lock in its place, count it in {@link GilStats#abandonedByDeadThreads()} and go on. Whatever the dead
 * thread was doing is not undone. {@link GilThread} always releases, so its threads never need this.
 *
 * <p><b>Time.</b> Scheduling rules (switch intervals, starvation bounds) read the {@link Ticker} given to the
 * {@link Builder#ticker builder}, so tests can drive them with a fake clock. Timeouts of {@link #tryAcquire(Duration)}
 * are real time.
 *
 * <p><b>As a {@link Lock}.</b> It can be passed wherever a {@code java.util.concurrent.locks.Lock} is expected:
 * {@link #lock()}, {@link #lockInterruptibly()}, {@link #tryLock()}, {@link #tryLock(long, TimeUnit)} and
 * {@link #unlock()} are {@code acquire}, {@code acquireInterruptibly}, {@code tryAcquire} and {@code release}, and
 * {@link #newCondition()} gives a condition whose {@code await} lets go of every hold, as {@code allowThreads} does:
 * Python's {@code threading.Condition}.
 */
public final class GlobalInterpreterLock implements Lock {
    /*
     * Design notes.
     *
     * State: `owner` (volatile; CAS from null by any thread, or set by the holder itself to its chosen successor),
     * `holds` (plain; only the owner touches it, ordered by the volatile write/read of `owner` at each transfer),
     * `waiting` (volatile; the queue length, written under `guard`) and `dropRequested` (volatile; CPython's
     * eval_breaker, written under `guard`). The wait queue, the scheduler callbacks and every slow-path change of
     * owner happen under `guard`, a small internal ReentrantLock that is never held while parked.
     *
     * Fast paths: acquire CASes owner null -> me when `waiting == 0`; release writes owner = null when
     * `waiting == 0`; checkpoint reads `owner` and `dropRequested`. Nothing else.
     *
     * No lost wakeup (a Dekker pair on volatiles): a waiter publishes `waiting` and then reads `owner`; a releaser
     * publishes `owner = null` and then reads `waiting`. Sequential consistency of volatiles means at least one of
     * them sees the other: either the waiter finds the lock free, or the releaser goes to the slow path and wakes
     * it. Under the guard, every transition that frees the lock while threads are queued either hands it to one
     * (owner is set to the successor *before* its `granted` flag, so nobody can barge in between) or wakes one to
     * race ("signalled", at most one at a time). As a last line of defence every park is timed, so a bug could
     * only ever cost latency, not a hang.
     *
     * Periodic work belongs to the head of the queue alone: it parks for the scheduler's recheck interval (CPython's
     * waiter timing out once per switch interval) and checks for a dead holder; everyone behind it parks for a
     * second, and is woken when it becomes the head. So a thousand waiters cost the machine what one does.
     *
     * Instruments (timings, a trace, JFR) are not the state machine's business: it tells `observers` of each event
     * with the clock readings it took anyway, and reads the clock for them alone only when one asks for it.
     *
     * Handoff at a checkpoint is "forced switching" when the scheduler names a successor: the holder sets owner to
     * the successor and queues behind it, so it cannot take the lock back before the successor ran.
     */

    /** How often a waiter checks that the holder is still alive; see the class doc. */
    public static final long DEAD_HOLDER_CHECK_MILLIS = 100;

    private static final VarHandle OWNER;
    private static final AtomicLong unnamedLocks = new AtomicLong();
    private static final long DEAD_HOLDER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(DEAD_HOLDER_CHECK_MILLIS);
    /**
     * How long a waiter behind the head parks before it looks again, though it is woken whenever it becomes the head:
     * a last line of defence only. Only the head rechecks on the scheduler's interval; ten thousand waiters each
     * waking every 5 ms would spend the machine on waking up.
     */
    private static final long BEHIND_HEAD_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Spin this many times before parking while a handoff is imminent; never on a single CPU. */
    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 1 << 12 : 0;
    /** More spinning waiters than spare CPUs would steal the holder's CPU. */
    private static final int MAX_SPINNING_WAITERS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    private static final long NO_DEADLINE = 0;
    /** In place of a ticker reading: none was taken, so read one if it is needed. */
    private static final long UNREAD = Long.MIN_VALUE;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(GlobalInterpreterLock.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    /** The builder's scheduler, its failures contained: see {@link GuardedScheduler}. */
    private final GuardedScheduler scheduler;
    private final Ticker ticker;
    /** Timings, the trace and JFR: told of every event, see {@link LockObserver}. */
    private final LockObservers observers;
    private final ReentrantLock guard = new ReentrantLock();
    /** Queued threads in arrival order. Guarded by {@code guard}. */
    private final List<WaitingThread> queue = new ArrayList<>();
    /**
     * The longest waiter, which alone rechecks on the scheduler's interval and for a dead holder; woken whenever a
     * thread becomes it. Written under {@code guard}; read by waiters choosing how long to park.
     */
    private volatile Waiter head;
    /** The waiter woken to race for a freed lock and not yet back, if any: at most one. Guarded by {@code guard}. */
    private Waiter signalled;
    private final List<WaitingThread> queueView = Collections.unmodifiableList(queue);
    private final SchedulingContext context = new Context();
    private final AtomicInteger threadNumber = new AtomicInteger();

    private volatile Thread owner;
    /** Reentrant hold count of the owner; see the design notes. */
    private int holds;
    private volatile int waiting;
    /**
     * The queue length once the drop request it causes is in place, for {@link #getQueueLength()}: written at the
     * end of {@code refreshDropRequest}, which follows every change of the queue. Written under {@code guard}.
     */
    private volatile int settledQueueLength;
    private volatile boolean dropRequested;
    /**
     * The waiter the scheduler would hand the lock to at the holder's next checkpoint, while a drop is requested:
     * the only thread for which spinning pays off. Written under {@code guard}.
     */
    private volatile WaitingThread expectedSuccessor;
    /** Ticker reading when the current holder took the lock in a slow path. Guarded by {@code guard}. */
    private long holderSinceNanos;

    // Counters written only by the holder (single writer at a time, ordered by ownership transfer).
    private long acquisitions;
    private long switches;
    private Thread lastHolder;
    // Counters written only under `guard`.
    private long contendedAcquisitions;
    private long handoffs;
    private long forcedSwitches;
    private long dropRequests;
    private long abandonedByDeadThreads;

    private GlobalInterpreterLock(Builder builder) {
        this.name = builder.name != null ? builder.name : "gil-" + unnamedLocks.incrementAndGet();
        this.scheduler = new GuardedScheduler(builder.scheduler != null
                ? builder.scheduler
                : HandoffScheduler.switchInterval(HandoffScheduler.DEFAULT_SWITCH_INTERVAL), name);
        this.ticker = builder.ticker != null ? builder.ticker : Ticker.systemTicker();
        this.observers = new LockObservers(name, scheduler, ticker, builder.recordTimings);
        LiveLocks.add(this);
    }

    /**
     * Returns a lock with the defaults: CPython's 5 ms {@link HandoffScheduler#switchInterval switch interval}, the
     * system ticker and a generated name.
     *
     * @return a new lock
     */
    public static GlobalInterpreterLock create() {
        return builder().build();
    }

    /**
     * Returns a builder for a lock with a chosen scheduler, name or ticker.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Acquires the lock, waiting as long as it takes. Returns at once, adding a hold, if the current thread already
     * holds it. Not interruptible: an interrupt while waiting is remembered and restored on return.
     */
    public void acquire() {
        Thread me = Thread.currentThread();
        if (!tryFastAcquire(me)) {
            acquireQueued(me, 1, false, false, NO_DEADLINE);
        }
    }

    /**
     * Acquires the lock unless the current thread is interrupted first.
     *
     * @throws InterruptedException if the thread was interrupted before or while waiting; it then does not hold
     *     the lock (a thread that was handed the lock just as it was interrupted keeps it, with its interrupt status
     *     set, and returns normally)
     */
    public void acquireInterruptibly() throws InterruptedException {
        Thread me = Thread.currentThread();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquiring the lock '" + name + "'");
        }
        if (!tryFastAcquire(me) && !acquireQueued(me, 1, false, true, NO_DEADLINE)) {
            Thread.interrupted(); // thrown instead, as java.util.concurrent does
            throw new InterruptedException("interrupted while waiting for the lock '" + name + "'");
        }
    }

    /**
     * Acquires the lock if the scheduler grants it at once: when it is free and nobody waits, or when the scheduler
     * lets this thread {@link HandoffScheduler#mayBarge barge}; or adds a hold if this thread already holds it.
     *
     * @return {@code true} if the current thread now holds the lock
     */
    public boolean tryAcquire() {
        return tryAcquireNanos(0, false);
    }

    /**
     * Acquires the lock if it can be had within the timeout, unless the current thread is interrupted first: the
     * contract of {@link Lock#tryLock(long, TimeUnit)} and {@code Semaphore.tryAcquire(long, TimeUnit)}.
     *
     * @param timeout how long to wait at most; zero or negative means do not wait, as in
     *     {@code java.util.concurrent}
     * @return {@code true} if the current thread now holds the lock, {@code false} if the time ran out
     * @throws InterruptedException if the thread was interrupted before or while waiting; it then does not hold the
     *     lock (a thread that was handed the lock just as it was interrupted keeps it, with its interrupt status set,
     *     and returns {@code true})
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquiring the lock '" + name + "'");
        }
        if (tryAcquireNanos(Math.max(0, Nanos.saturated(timeout)), true)) {
            return true;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting for the lock '" + name + "'");
        }
        return false;
    }

    /**
     * @param interruptible whether an interrupt ends the wait; the interrupt status is then set on a {@code false}
     *     return, for the caller to turn into an {@link InterruptedException}
     */
    private boolean tryAcquireNanos(long nanos, boolean interruptible) {
        Thread me = Thread.currentThread();
        if (tryFastAcquire(me)) {
            return true;
        }
        long deadline = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
        return acquireQueued(me, 1, false, interruptible, deadline == NO_DEADLINE ? 1 : deadline);
    }

    /** {@link #acquire()}, for code written against {@link Lock}. */
    @Override
    public void lock() {
        acquire();
    }

    /**
     * {@link #acquireInterruptibly()}, for code written against {@link Lock}.
     *
     * @throws InterruptedException if the thread was interrupted before or while waiting
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquireInterruptibly();
    }

    /**
     * {@link #tryAcquire()}, for code written against {@link Lock}.
     *
     * @return {@code true} if the current thread now holds the lock
     */
    @Override
    public boolean tryLock() {
        return tryAcquire();
    }

    /**
     * {@link #tryAcquire(Duration)}, for code written against {@link Lock}.
     *
     * @param time how long to wait at most; zero or negative means do not wait
     * @param unit the unit of {@code time}
     * @return {@code true} if the current thread now holds the lock
     * @throws InterruptedException if the thread was interrupted before or while waiting
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return tryAcquire(Duration.ofNanos(unit.toNanos(time)));
    }

    /**
     * {@link #release()}, for code written against {@link Lock}.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    @Override
    public void unlock() {
        release();
    }

    /**
     * Returns a new condition bound to this lock: Python's {@code threading.Condition} on the interpreter lock.
     * {@link Condition#await() await} must be called holding the lock; it lets go of every hold while it waits, as
     * {@link #allowThreads(BlockingRunnable)} does, and takes them all back before it returns or throws.
     * {@code signal} and {@code signalAll} must be called holding the lock too, and wake waiters in the order they
     * began to wait.
     *
     * <pre>{@code
     * Condition ready = gil.newCondition();
     * GilThread producer = new GilThread(gil, () -> {
     *     done = true;
     *     ready.signalAll();          // notify_all()
     * });
     * gil.acquire();
     * try {
     *     producer.start();
     *     while (!done) {
     *         ready.await();          // wait(): others run meanwhile
     *     }
     * } finally {
     *     gil.release();
     * }
     * }</pre>
     *
     * @return a new condition
     */
    @Override
    public Condition newCondition() {
        return new GilCondition(this);
    }

    /**
     * Acquires the lock and returns a handle that releases it, for try-with-resources.
     *
     * <pre>{@code
     * try (GlobalInterpreterLock.Held held = gil.hold()) {
     *     counter++;
     * }
     * }</pre>
     *
     * @return a handle whose {@link Held#close()} releases this hold
     */
    public Held hold() {
        acquire();
        return new HeldOnce();
    }

    /**
     * Releases one hold; when it was the last, the lock goes to whoever the scheduler chooses.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    public void release() {
        Thread me = Thread.currentThread();
        if (owner != me) {
            throw notHolder("release()", me);
        }
        if (--holds == 0) {
            onLettingGo(false, UNREAD);
            releaseOwnership(me, HandoffReason.RELEASE);
        }
    }

    /**
     * Tells whether the current thread holds the lock.
     *
     * @return {@code true} if the current thread holds it
     */
    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /**
     * Returns how many holds the current thread has: zero if it does not hold the lock.
     *
     * @return the current thread's hold count
     */
    public int getHoldCount() {
        return owner == Thread.currentThread() ? holds : 0;
    }

    /**
     * Tells whether the lock is held by any thread. A snapshot, for monitoring.
     *
     * @return {@code true} if some thread holds the lock
     */
    public boolean isLocked() {
        return owner != null;
    }

    /**
     * Returns how many threads are queued for the lock. A snapshot, for monitoring and tests: a thread counted here
     * has finished queueing, including any drop request its arrival caused. One volatile read: polling it does not
     * slow the lock down.
     *
     * @return the number of waiting threads
     */
    public int getQueueLength() {
        return settledQueueLength;
    }

    /**
     * The eval loop's breaker check: lets the lock go, and queues for it again, if the scheduler has asked the
     * holder to drop it; otherwise returns at once (one volatile read). Call it often in long-running code under the
     * lock: every checkpoint is a place where other threads may run, and the only such place in a loop.
     *
     * <p>The hold count is kept across the handoff.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    public void checkpoint() {
        Thread me = Thread.currentThread();
        if (owner != me) {
            throw notHolder("checkpoint()", me);
        }
        if (dropRequested) {
            yieldAtCheckpoint(me);
        }
    }

    /**
     * {@link #checkpoint()} for code that may run with or without the lock, such as code instrumented by the gil4j
     * agent: hands the lock over if the current thread holds it and the scheduler asked for it; otherwise returns at
     * once. With nobody waiting it is one volatile read, like {@code checkpoint()}.
     */
    public void checkpointIfHeld() {
        if (dropRequested) {
            Thread me = Thread.currentThread();
            if (owner == me) {
                yieldAtCheckpoint(me);
            }
        }
    }

    /**
     * The eval-breaker check for code that knows no lock: hands over whichever lock of this JVM the current thread
     * holds, if that lock's scheduler asked for it, and otherwise returns at once. It is what the gil4j agent inserts
     * at method entries and loop back-edges, so instrumented code needs no registration, and several locks in one
     * JVM each hand over at their own holders' polls. With no drop request pending on any lock it is one volatile
     * read.
     *
     * <pre>{@code
     * while (parsing) {
     *     step();
     *     GlobalInterpreterLock.checkpointAnyHeld();   // what the agent inserts here
     * }
     * }</pre>
     */
    public static void checkpointAnyHeld() {
        PendingDropRequests.checkpointHeldLocks();
    }

    /**
     * Runs blocking work with the lock released, and takes it back afterwards: CPython's
     * {@code Py_BEGIN_ALLOW_THREADS} / {@code Py_END_ALLOW_THREADS}. All holds are released and restored, also when
     * the work throws or the thread is interrupted (re-acquiring is uninterruptible; the interrupt status is kept).
     *
     * <pre>{@code
     * byte[] data = gil.allowThreads(() -> in.readNBytes(4096));
     * }</pre>
     *
     * @param work the blocking work; it must not touch state the lock guards
     * @param <T> the result type
     * @param <X> the exception the work may throw
     * @return what the work returned
     * @throws X whatever the work throws, unchanged
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    public <T, X extends Throwable> T allowThreads(BlockingCallable<T, X> work) throws X {
        Objects.requireNonNull(work, "work");
        Thread me = Thread.currentThread();
        int saved = releaseAllForAllowThreads(me);
        try {
            return work.call();
        } finally {
            reacquireAfterAllowThreads(me, saved);
        }
    }

    /**
     * Runs blocking work without a result with the lock released, and takes it back afterwards; see
     * {@link #allowThreads(BlockingCallable)}.
     *
     * <pre>{@code
     * gil.allowThreads(() -> Thread.sleep(50));
     * }</pre>
     *
     * @param work the blocking work; it must not touch state the lock guards
     * @param <X> the exception the work may throw
     * @throws X whatever the work throws, unchanged
     * @throws IllegalMonitorStateException if the current thread does not hold the lock
     */
    public <X extends Throwable> void allowThreads(BlockingRunnable<X> work) throws X {
        Objects.requireNonNull(work, "work");
        Thread me = Thread.currentThread();
        int saved = releaseAllForAllowThreads(me);
        try {
            work.run();
        } finally {
            reacquireAfterAllowThreads(me, saved);
        }
    }

    /**
     * {@link #allowThreads(BlockingCallable)} for code that knows no lock: runs blocking work with every lock of this
     * JVM that the current thread holds released (all their holds), and takes them back afterwards, in the reverse
     * order; a thread that holds none just runs the work. It is what the gil4j agent puts around blocking JDK calls
     * ({@code Thread.sleep}, {@code BlockingQueue.take}, stream reads...) in code nobody edited, as CPython's C code
     * releases the GIL around them.
     *
     * <pre>{@code
     * String reply = GlobalInterpreterLock.allowThreadsAnyHeld(() -> replies.take());   // what the agent inserts
     * }</pre>
     *
     * @param work the blocking work; it must not touch state the locks guard
     * @param <T> the result type
     * @param <X> the exception the work may throw
     * @return what the work returned
     * @throws X whatever the work throws, unchanged
     */
    public static <T, X extends Throwable> T allowThreadsAnyHeld(BlockingCallable<T, X> work) throws X {
        Objects.requireNonNull(work, "work");
        List<GlobalInterpreterLock> held = LiveLocks.heldByCurrentThread();
        if (held.isEmpty()) {
            return work.call();
        }
        Thread me = Thread.currentThread();
        int[] saved = new int[held.size()];
        int released = 0;
        try {
            for (; released < saved.length; released++) {
                saved[released] = held.get(released).releaseAllForAllowThreads(me);
            }
            return work.call();
        } finally {
            for (int i = released - 1; i >= 0; i--) {
                held.get(i).reacquireAfterAllowThreads(me, saved[i]);
            }
        }
    }

    /**
     * Returns a factory of {@link GilThread}s bound to this lock, named {@code <lock name>-thread-<n>}: each thread
     * runs its {@code Runnable} holding the lock. Meant for one-thread-per-task use; a pooled executor's worker would
     * hold the lock while it waits for the next task, so do not give this factory to a {@code ThreadPoolExecutor}. On
     * JDK 21 and later, {@link #virtualThreadFactory()} makes virtual threads instead.
     *
     * @return a thread factory
     */
    public ThreadFactory threadFactory() {
        return target -> new GilThread(this, target, name + "-thread-" + threadNumber.incrementAndGet());
    }

    /**
     * Returns a factory of virtual threads (JDK 21 and later) that run their {@code Runnable} holding this lock, as
     * {@link GilThread}s do, and release every hold when it returns or throws; named
     * {@code <lock name>-virtual-<n>}. A virtual thread waiting for the lock, or blocked in {@link #allowThreads},
     * parks without pinning its carrier: the lock waits with {@code LockSupport}, never in a {@code synchronized}
     * block.
     *
     * <pre>{@code
     * ThreadFactory virtual = gil.virtualThreadFactory();   // or Executors.newThreadPerTaskExecutor(virtual)
     * Thread parked = virtual.newThread(() -> gil.allowThreads(() -> LockSupport.parkNanos(10_000_000)));
     * parked.start();                                        // holds the lock, lets it go while parked
     * parked.join();
     * }</pre>
     *
     * @return a thread factory
     * @throws UnsupportedOperationException below JDK 21, saying so
     */
    public ThreadFactory virtualThreadFactory() {
        ThreadFactory virtual = VirtualThreads.factory(name + "-virtual-");
        return target -> {
            Objects.requireNonNull(target, "target");
            return virtual.newThread(() -> {
                acquire();
                try {
                    target.run();
                } finally {
                    releaseAtThreadExit(Thread.currentThread());
                }
            });
        };
    }

    /**
     * Returns a snapshot of the lock's counters.
     *
     * @return the statistics
     */
    public GilStats stats() {
        GilStats counters;
        guard.lock();
        try {
            counters = new GilStats(name, scheduler.toString(), acquisitions, contendedAcquisitions, switches,
                    handoffs, forcedSwitches, dropRequests, abandonedByDeadThreads, queue.size(), null);
        } finally {
            guard.unlock();
        }
        return counters.withTimingsOf(observers);
    }

    /**
     * Starts recording a {@link GilTrace} of up to {@link GilTrace#DEFAULT_CAPACITY} events (the newest kept).
     *
     * @return the running trace
     * @throws IllegalStateException if a trace is already running on this lock
     */
    public GilTrace startTrace() {
        return startTrace(GilTrace.DEFAULT_CAPACITY);
    }

    /**
     * Starts recording a {@link GilTrace} that keeps the newest {@code capacity} events.
     *
     * @param capacity how many events to keep (24 bytes each)
     * @return the running trace
     * @throws IllegalArgumentException if {@code capacity} is not positive
     * @throws IllegalStateException if a trace is already running on this lock
     */
    public GilTrace startTrace(int capacity) {
        checkArgument(capacity > 0, "trace capacity must be positive but was %s", capacity);
        return GilTrace.start(this, observers, capacity);
    }

    /**
     * Registers this lock's {@link GilMXBean} with the platform MBean server as
     * {@code dev.gil:type=GlobalInterpreterLock,name=<name>}; closing the returned registration unregisters it.
     *
     * @return the registration
     * @throws IllegalStateException if an MBean of that name is already registered (give each lock its own name)
     */
    public Registration registerMBean() {
        return GilMBeans.register(this);
    }

    /**
     * A JMX registration; {@link #close()} unregisters.
     *
     * <pre>{@code
     * try (GlobalInterpreterLock.Registration jmx = gil.registerMBean()) {
     *     runTheWorkload();   // the lock's figures are in JConsole meanwhile
     * }
     * }</pre>
     */
    public interface Registration extends AutoCloseable {
        /**
         * Returns the MBean's name.
         *
         * @return the object name
         */
        ObjectName objectName();

        /** Unregisters the MBean. Closing again does nothing. */
        @Override
        void close();
    }

    /** The holder's name, or an empty string when the lock is free: for monitoring. */
    String holderName() {
        Thread holder = owner;
        return holder == null ? "" : holder.getName();
    }

    /**
     * Starts the timings ({@link GilStats#threads()}, lock load, fairness, drop-request latency) afresh. The counters
     * are not reset: they count since the lock was built.
     */
    public void resetTimings() {
        observers.resetTimings();
    }

    /**
     * Returns the lock's name, used in thread names, log messages and statistics.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the scheduler that decides who runs next. A scheduler that throws, or chooses a thread that is not
     * waiting, never breaks the lock: that decision falls back to the phone booth's (the freed lock is raced for) and
     * the failure is logged through SLF4J at ERROR, naming this lock, the scheduler and the method.
     *
     * @return the scheduler, as given to the builder
     */
    public HandoffScheduler scheduler() {
        return scheduler.guarded();
    }

    @Override
    public String toString() {
        Thread holder = owner;
        return "GlobalInterpreterLock[" + name + ", " + scheduler
                + (holder == null ? ", free" : ", held by " + holder.getName())
                + ", " + waiting + " waiting]";
    }

    // ---------------------------------------------------------------------------------------------------------
    // GilThread support

    /** Called by a {@link GilThread} when its target ends: releases every hold the thread still has. */
    void releaseAtThreadExit(Thread me) {
        if (owner != me) {
            logger().warn("Thread '{}' ended without holding the lock '{}' it was started with: its target released "
                    + "more holds than it acquired", me.getName(), name);
            return;
        }
        if (holds > 1) {
            logger().warn("Thread '{}' ended holding the lock '{}' {} times: its target acquired more holds than it "
                    + "released; releasing them all", me.getName(), name, holds - 1);
        }
        holds = 0;
        onLettingGo(false, UNREAD);
        releaseOwnership(me, HandoffReason.RELEASE);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Slow paths

    /** The fast paths of every acquisition: a reentrant hold, or a free lock nobody waits for. */
    private boolean tryFastAcquire(Thread me) {
        if (owner == me) {
            addHold();
            return true;
        }
        if (waiting == 0 && OWNER.compareAndSet(this, null, me)) {
            onAcquired(me, 1);
            return true;
        }
        return false;
    }

    private void addHold() {
        if (holds == Integer.MAX_VALUE) {
            throw new IllegalMonitorStateException("maximum hold count exceeded for the lock '" + name + "'");
        }
        holds++;
    }

    /** Called by the new holder on the fast paths, once it owns the lock without having waited. */
    private void onAcquired(Thread me, int restoredHolds) {
        countAcquisition(me, restoredHolds);
        if (observers.readsClock()) {
            observers.acquired(ticker.read(), LockObserver.DID_NOT_WAIT, waiting);
        }
    }

    /** Called by the new holder, on every path, once it owns the lock. */
    private void countAcquisition(Thread me, int restoredHolds) {
        holds = restoredHolds;
        acquisitions++;
        if (lastHolder != me) {
            lastHolder = me;
            switches++;
        }
    }

    /**
     * Called by the holder just before it lets go of the lock entirely; {@code toBlock}: for allowThreads.
     *
     * @param now a ticker reading taken for the occasion, or {@link #UNREAD} to read one if timings or a trace need it
     */
    private void onLettingGo(boolean toBlock, long now) {
        if (observers.readsClock()) {
            observers.released(now != UNREAD ? now : ticker.read(), toBlock, waiting);
        }
    }

    /**
     * Queues the current thread and waits for its turn.
     *
     * @param deadline {@link #NO_DEADLINE}, or a {@link System#nanoTime()} after which to give up
     * @return {@code true} once the thread holds the lock; {@code false} if interrupted (interruptible) or timed out
     */
    private boolean acquireQueued(Thread me, int restoredHolds, boolean fromAllowThreads, boolean interruptible,
            long deadline) {
        return acquireQueued(me, restoredHolds, fromAllowThreads, interruptible, deadline, Long.MIN_VALUE, null);
    }

    /**
     * @param waitingSince when the wait began on the ticker, or {@link Long#MIN_VALUE} for "now"
     * @param handedOver what the observers record of the hold this thread just handed over at a checkpoint, once
     *     it has queued
     */
    private boolean acquireQueued(Thread me, int restoredHolds, boolean fromAllowThreads, boolean interruptible,
            long deadline, long waitingSince, Runnable handedOver) {
        Waiter node;
        long waitStart;
        Thread deadHolder;
        observers.beforeSlowPath();
        guard.lock();
        try {
            deadHolder = recoverFromDeadHolder();
            waitStart = waitingSince == Long.MIN_VALUE ? ticker.read() : waitingSince;
            node = new Waiter(me, waitStart, fromAllowThreads);
            if (tryTakeFreeLock(node, false)) {
                node = null;
            } else if (deadline != NO_DEADLINE && deadline - System.nanoTime() <= 0) {
                return false;
            } else {
                enqueue(node);
                contendedAcquisitions++;
                observers.queued(waitStart, queue.size());
                // The holder may have freed the lock through its fast path before it could see us queued.
                dispatchIfFree();
                refreshDropRequest(waitStart);
            }
        } finally {
            guard.unlock();
        }
        reportDeadHolder(deadHolder);
        if (handedOver != null) {
            handedOver.run();
        }
        if (node == null || awaitTurn(node, interruptible, deadline)) {
            countAcquisition(me, restoredHolds);
            // A thread that handed the lock over at a checkpoint waited from then, even if it never had to queue.
            boolean waited = node != null || waitingSince != Long.MIN_VALUE;
            if (waited || observers.readsClock()) {
                long now = ticker.read(); // one reading for the hold's start and the wait's end
                observers.acquired(now, waited ? now - waitStart : LockObserver.DID_NOT_WAIT, waiting);
            }
            return true;
        }
        return false;
    }

    /** Parks until handed the lock or until it wins a race for it; see the design notes. */
    private boolean awaitTurn(Waiter node, boolean interruptible, long deadline) {
        boolean interrupted = false;
        long recheckNanos = Math.max(1, Math.min(scheduler.recheckIntervalNanos(), DEAD_HOLDER_CHECK_NANOS));
        try {
            for (;;) {
                if (node.isGranted()) {
                    return true;
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (interruptible) {
                        // Granted meanwhile: it keeps the lock. Either way the interrupt status is restored below,
                        // so the caller can tell an interrupt from a timeout.
                        return cancel(node);
                    }
                }
                long parkNanos = head == node ? recheckNanos : BEHIND_HEAD_RECHECK_NANOS;
                if (deadline != NO_DEADLINE) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return cancel(node);
                    }
                    parkNanos = Math.min(parkNanos, remaining);
                }
                if (!spinUntilGranted(node)) {
                    LockSupport.parkNanos(this, parkNanos);
                }
                if (node.isGranted()) {
                    return true;
                }
                Thread deadHolder;
                guard.lock();
                try {
                    if (signalled == node) {
                        signalled = null;
                    }
                    if (node.isGranted() || tryTakeFreeLock(node, true)) {
                        return true;
                    }
                    deadHolder = recoverFromDeadHolder();
                    refreshDropRequest();
                } finally {
                    guard.unlock();
                }
                reportDeadHolder(deadHolder);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Spins briefly when this thread is about to be handed the lock (a drop is requested and the scheduler named it
     * the successor) and a CPU is free to spin on: waking a parked thread costs tens of microseconds, a handoff to a
     * spinning one well under one. Threads that would only race for a freed lock do not spin: a spinning racer
     * would always beat the releaser, and the unfair scheduler's releaser is meant to win (the phone booth).
     *
     * @return {@code true} if the lock was handed over while spinning
     */
    private boolean spinUntilGranted(Waiter node) {
        if (expectedSuccessor != node || waiting > MAX_SPINNING_WAITERS) {
            return false;
        }
        for (int i = 0; i < SPINS; i++) {
            if (node.isGranted()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /** Leaves the queue after an interrupt or timeout. Returns {@code true} if the lock was granted meanwhile. */
    private boolean cancel(Waiter node) {
        guard.lock();
        try {
            if (node.isGranted()) {
                return true;
            }
            dequeue(node);
            // A wake-up meant for us would be lost with us: pass it on.
            dispatchIfFree();
            refreshDropRequest();
            return false;
        } finally {
            guard.unlock();
        }
    }

    /** Takes the lock if it is free and the scheduler lets {@code candidate} have it. Guarded by {@code guard}. */
    private boolean tryTakeFreeLock(Waiter candidate, boolean queued) {
        if (owner != null) {
            return false;
        }
        boolean othersQueued = queue.size() > (queued ? 1 : 0);
        if (othersQueued && !scheduler.mayBarge(candidate, context)) {
            return false;
        }
        if (!OWNER.compareAndSet(this, null, candidate.thread())) {
            return false;
        }
        if (queued) {
            dequeue(candidate);
        }
        holderSinceNanos = ticker.read();
        refreshDropRequest(holderSinceNanos);
        return true;
    }

    private void releaseOwnership(Thread me, HandoffReason reason) {
        if (waiting == 0) {
            OWNER.setVolatile(this, null);
            if (waiting == 0) {
                return;
            }
            guard.lock();
            try {
                dispatchIfFree();
            } finally {
                guard.unlock();
            }
            return;
        }
        observers.beforeSlowPath();
        guard.lock();
        try {
            handOver(reason);
        } finally {
            guard.unlock();
        }
    }

    /** The holder lets go: to the scheduler's successor, or to whoever wins the race. Guarded by {@code guard}. */
    private void handOver(HandoffReason reason) {
        WaitingThread next = queue.isEmpty() ? null : scheduler.successor(reason, context);
        if (next != null) {
            Waiter successor = checkSuccessor(next);
            OWNER.setVolatile(this, successor.thread());
            grant(successor);
        } else {
            OWNER.setVolatile(this, null);
            setDropRequested(false);
            expectedSuccessor = null;
            signalOne();
        }
    }

    /** The lock looked free while threads are queued: hand it over or wake a racer. Guarded by {@code guard}. */
    private void dispatchIfFree() {
        if (owner != null || queue.isEmpty()) {
            return;
        }
        WaitingThread next = scheduler.successor(HandoffReason.RELEASE, context);
        if (next == null) {
            signalOne();
            return;
        }
        Waiter successor = checkSuccessor(next);
        // Fails only if a fast-path acquirer barged in; its release will dispatch again.
        if (OWNER.compareAndSet(this, null, successor.thread())) {
            grant(successor);
        }
    }

    /** Owner is already set to the successor. Guarded by {@code guard}. */
    private void grant(Waiter successor) {
        dequeue(successor);
        handoffs++;
        holderSinceNanos = ticker.read();
        observers.handedOff(holderSinceNanos, successor.thread(), queue.size());
        refreshDropRequest(holderSinceNanos);
        successor.grant();
        LockSupport.unpark(successor.thread());
    }

    /** Wakes the longest waiter to race for a freed lock, unless one is already on its way. Guarded. */
    private void signalOne() {
        Waiter first = head;
        if (signalled == null && first != null) {
            signalled = first;
            LockSupport.unpark(first.thread());
        }
    }

    /** The scheduler's choice as the queue's own node: {@link GuardedScheduler} only lets queued threads through. */
    private static Waiter checkSuccessor(WaitingThread next) {
        return (Waiter) next;
    }

    private void yieldAtCheckpoint(Thread me) {
        int saved = holds;
        long handedOverAt;
        Runnable ours;
        observers.beforeSlowPath();
        guard.lock();
        try {
            if (queue.isEmpty()) {
                setDropRequested(false);
                return;
            }
            if (!dropRequested) {
                return;
            }
            holds = 0;
            forcedSwitches++;
            // Our wait starts now, at the handoff: the successor may run (and time may pass) before we queue.
            handedOverAt = ticker.read();
            ours = observers.droppedAtCheckpoint(handedOverAt, waiting);
            handOver(HandoffReason.CHECKPOINT);
        } finally {
            guard.unlock();
        }
        acquireQueued(me, saved, false, false, NO_DEADLINE, handedOverAt, ours);
    }

    private int releaseAllForAllowThreads(Thread me) {
        return releaseAllHolds(me, "allowThreads(...)");
    }

    /**
     * Lets go of every hold the current thread has, as {@code allowThreads} does, and returns how many there were,
     * for {@link #restoreHolds}. Used by {@link GilCondition}.
     *
     * @throws IllegalMonitorStateException naming {@code operation} if the thread does not hold the lock
     */
    int releaseAllHolds(Thread me, String operation) {
        if (owner != me) {
            throw notHolder(operation, me);
        }
        int saved = holds;
        holds = 0;
        onLettingGo(true, UNREAD);
        releaseOwnership(me, HandoffReason.RELEASE);
        return saved;
    }

    /** Takes the lock back, uninterruptibly, with the holds {@link #releaseAllHolds} returned. */
    void restoreHolds(Thread me, int saved) {
        reacquireAfterAllowThreads(me, saved);
    }

    private void reacquireAfterAllowThreads(Thread me, int saved) {
        if (owner == me) {
            // The blocking work took the lock itself and kept it; keep its holds too.
            holds += saved;
        } else if (waiting == 0 && OWNER.compareAndSet(this, null, me)) {
            onAcquired(me, saved);
        } else {
            acquireQueued(me, saved, true, false, NO_DEADLINE);
        }
    }

    private void enqueue(Waiter node) {
        queue.add(node);
        waiting = queue.size();
        updateHead();
    }

    private void dequeue(WaitingThread node) {
        queue.remove(node);
        waiting = queue.size();
        if (signalled == node) {
            signalled = null;
        }
        updateHead();
    }

    /** A new head parks for the scheduler's interval, not behind-the-head's: wake it to say so. Guarded. */
    private void updateHead() {
        Waiter first = queue.isEmpty() ? null : (Waiter) queue.get(0);
        if (first != head) {
            head = first;
            if (first != null && first.thread() != Thread.currentThread()) {
                LockSupport.unpark(first.thread());
            }
        }
    }

    /** Recomputes the eval breaker after any change of queue or holder. Guarded by {@code guard}. */
    private void refreshDropRequest() {
        refreshDropRequest(UNREAD);
    }

    /**
     * Recomputes the eval breaker; a new request is timed with {@code now} if given.
     *
     * @param now a ticker reading taken just before, or {@link #UNREAD}; a new request is timed with it (a thread
     *     that queues is timed from the start of its wait, which is also when it asked for the lock)
     */
    private void refreshDropRequest(long now) {
        boolean request = owner != null && scheduler.shouldRequestDrop(context);
        if (request && !dropRequested) {
            dropRequests++;
            long at = now != UNREAD || !observers.readsClock() ? now : ticker.read();
            observers.dropRequested(at, owner, queue.size());
        }
        setDropRequested(request);
        expectedSuccessor = request && !queue.isEmpty() ? scheduler.successor(HandoffReason.CHECKPOINT, context) : null;
        settledQueueLength = queue.size();
    }

    /** Sets CPython's eval breaker, and tells polls that do not know their lock (the agent's). Guarded by guard. */
    private void setDropRequested(boolean request) {
        if (dropRequested != request) {
            dropRequested = request;
            PendingDropRequests.changed(this, request);
        }
    }

    /**
     * See "Threads that die holding the lock" in the class doc. Guarded by {@code guard}.
     *
     * @return the dead holder it recovered from, to be reported once the guard is released (logging may initialise a
     *     logging backend, which must not happen under the guard), or {@code null}
     */
    private Thread recoverFromDeadHolder() {
        Thread holder = owner;
        if (holder == null || holder.isAlive() || !OWNER.compareAndSet(this, holder, null)) {
            return null;
        }
        abandonedByDeadThreads++;
        setDropRequested(false);
        dispatchIfFree();
        return holder;
    }

    private void reportDeadHolder(Thread holder) {
        if (holder != null) {
            logger().warn("Thread '{}' terminated while holding the lock '{}'; it was released so that waiting threads "
                    + "can go on. Release in a finally block, or run such code in a GilThread.", holder.getName(), name);
        }
    }

    IllegalMonitorStateException notHolder(String operation, Thread me) {
        Thread holder = owner;
        return new IllegalMonitorStateException(operation + " called by thread '" + me.getName()
                + "', which does not hold the lock '" + name + "' ("
                + (holder == null ? "nobody holds it" : "held by '" + holder.getName() + "'") + ")");
    }

    /**
     * The logger, created on first use: it only reports misuse, and creating it at class initialisation would make
     * every program that takes the lock initialise its logging backend (a hundred milliseconds in a fresh JVM).
     */
    private static Logger logger() {
        return LoggerHolder.LOGGER;
    }

    private static final class LoggerHolder {
        static final Logger LOGGER = LoggerFactory.getLogger(GlobalInterpreterLock.class);
    }

    /** The scheduler's view of this lock; only used under {@code guard}. */
    private final class Context implements SchedulingContext {
        @Override
        public long nanoTime() {
            return ticker.read();
        }

        @Override
        public List<WaitingThread> waiters() {
            return queueView;
        }

        @Override
        public long holderSinceNanos() {
            return holderSinceNanos;
        }
    }

    /**
     * A hold on the lock, released by {@link #close()}: for try-with-resources.
     *
     * <pre>{@code
     * try (GlobalInterpreterLock.Held held = gil.hold()) {
     *     counter++;
     * }
     * }</pre>
     */
    public interface Held extends AutoCloseable {
        /**
         * Releases the hold. Closing it again does nothing.
         *
         * @throws IllegalMonitorStateException if called by a thread that does not hold the lock
         */
        @Override
        void close();
    }

    private final class HeldOnce implements Held {
        private boolean closed;

        @Override
        public void close() {
            if (!closed) {
                release();
                closed = true;
            }
        }
    }

    /**
     * Builds a {@link GlobalInterpreterLock}. Each setting may be given once; unset settings take the defaults of
     * {@link GlobalInterpreterLock#create()}. Not thread-safe.
     *
     * <pre>{@code
     * GlobalInterpreterLock gil = GlobalInterpreterLock.builder()
     *         .scheduler(HandoffScheduler.fair())
     *         .name("interpreter")
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private HandoffScheduler scheduler;
        private String name;
        private Ticker ticker;
        private boolean recordTimings;
        private boolean recordTimingsSet;

        private Builder() {}

        /**
         * Records hold and wait times per thread (HdrHistogram percentiles), lock load, Jain's fairness index and
         * drop-request latency, for {@link GlobalInterpreterLock#stats()}. Each thread records into its own
         * histograms (about 8 KiB per power of two of the values it sees, so typically under 100 KiB a thread) with
         * plain stores, and a handoff reuses the clock readings the lock takes anyway, so contended handoffs barely
         * notice. Off by default all the same: an uncontended {@code acquire()+release()} must read the clock twice
         * for it (tens of nanoseconds, several times the cost of the pair), which the counters that are always kept
         * do not.
         *
         * @param record whether to record timings
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder recordTimings(boolean record) {
            checkState(!recordTimingsSet, "recordTimings was already set to %s", recordTimings);
            this.recordTimings = record;
            this.recordTimingsSet = true;
            return this;
        }

        /**
         * Sets the scheduler that decides who runs next. Default: {@code switchInterval(5 ms)}.
         *
         * @param scheduler the scheduler
         * @return this builder
         * @throws IllegalStateException if a scheduler was already set
         */
        public Builder scheduler(HandoffScheduler scheduler) {
            Objects.requireNonNull(scheduler, "scheduler");
            checkState(this.scheduler == null, "scheduler was already set to %s", this.scheduler);
            this.scheduler = scheduler;
            return this;
        }

        /**
         * Sets the lock's name. Default: {@code gil-<n>}.
         *
         * @param name a non-blank name
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank
         * @throws IllegalStateException if a name was already set
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            checkArgument(!name.isBlank(), "name must not be blank but was '%s'", name);
            checkState(this.name == null, "name was already set to %s", this.name);
            this.name = name;
            return this;
        }

        /**
         * Sets the clock that scheduling rules read. Default: {@link Ticker#systemTicker()}. Tests pass a fake
         * ticker to drive switch intervals and starvation bounds without sleeping.
         *
         * @param ticker the clock
         * @return this builder
         * @throws IllegalStateException if a ticker was already set
         */
        public Builder ticker(Ticker ticker) {
            Objects.requireNonNull(ticker, "ticker");
            checkState(this.ticker == null, "ticker was already set to %s", this.ticker);
            this.ticker = ticker;
            return this;
        }

        /**
         * Builds the lock.
         *
         * @return a new, free lock
         */
        public GlobalInterpreterLock build() {
            return new GlobalInterpreterLock(this);
        }
    }
}
