package dev.gil.core.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JDK Flight Recorder events of the lock's slow paths. Each is committed only when a recording enabled it (JFR's
 * {@code shouldCommit()}); the fast paths emit none.
 *
 * <p>Nothing happens at all until JFR itself is running: creating the first event of a JVM loads JFR's event
 * machinery, tens of milliseconds, and some events are emitted under the lock's internal guard, where that would
 * stall every thread. So the lock calls {@link #prepare()} outside the guard at the start of its slow paths; once JFR
 * is initialised (a recording was started), the first such call loads the event classes, and only then do the
 * emitting methods do anything.
 */
public final class JfrEvents {
    /** Set once the event classes were loaded, outside any guard, after JFR started. */
    private static volatile boolean ready;

    private JfrEvents() {}

    /** Call outside the lock's guard; cheap once done, and while JFR is not running. */
    public static void prepare() {
        if (!ready && FlightRecorder.isInitialized()) {
            new Acquire();
            new Handoff();
            new DropRequest();
            ready = true;
        }
    }

    /** A thread waited for the lock, then got it. */
    @Name("dev.gil.Acquire")
    @Label("GIL Contended Acquire")
    @Category({"gil4j", "Global Interpreter Lock"})
    @Description("A thread had to wait for a GlobalInterpreterLock")
    @StackTrace(false)
    public static final class Acquire extends Event {
        @Label("Lock")
        public String lock;
        @Label("Scheduler")
        public String scheduler;
        @Label("Waited")
        @Timespan(Timespan.NANOSECONDS)
        public long waited;
    }

    /** The holder handed the lock directly to a chosen waiter. */
    @Name("dev.gil.Handoff")
    @Label("GIL Handoff")
    @Category({"gil4j", "Global Interpreter Lock"})
    @StackTrace(false)
    public static final class Handoff extends Event {
        @Label("Lock")
        public String lock;
        @Label("From Thread")
        public String from;
        @Label("To Thread")
        public String to;
    }

    /** The scheduler asked the holder to drop the lock at its next checkpoint. */
    @Name("dev.gil.DropRequest")
    @Label("GIL Drop Request")
    @Category({"gil4j", "Global Interpreter Lock"})
    @StackTrace(false)
    public static final class DropRequest extends Event {
        @Label("Lock")
        public String lock;
        @Label("Holder")
        public String holder;
        @Label("Waiting Threads")
        public int waiting;
    }

    /** {@code scheduler} is turned into its name only for an event that is committed. */
    public static void acquired(String lock, Object scheduler, long waitedNanos) {
        if (!ready) {
            return;
        }
        Acquire event = new Acquire();
        if (event.shouldCommit()) {
            event.lock = lock;
            event.scheduler = String.valueOf(scheduler);
            event.waited = waitedNanos;
            event.commit();
        }
    }

    public static void handedOff(String lock, Thread from, Thread to) {
        if (!ready) {
            return;
        }
        Handoff event = new Handoff();
        if (event.shouldCommit()) {
            event.lock = lock;
            event.from = from.getName();
            event.to = to.getName();
            event.commit();
        }
    }

    public static void dropRequested(String lock, Thread holder, int waiting) {
        if (!ready) {
            return;
        }
        DropRequest event = new DropRequest();
        if (event.shouldCommit()) {
            event.lock = lock;
            event.holder = holder == null ? null : holder.getName();
            event.waiting = waiting;
            event.commit();
        }
    }
}
