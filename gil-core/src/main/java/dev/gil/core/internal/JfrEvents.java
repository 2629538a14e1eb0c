package dev.gil.core.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JDK Flight Recorder events of the lock's slow paths. Each is committed only when a recording enabled it (JFR's
 * {@code shouldCommit()}), so with no recording they cost a branch; the fast paths emit none.
 */
public final class JfrEvents {
    private JfrEvents() {}

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

    public static void acquired(String lock, String scheduler, long waitedNanos) {
        Acquire event = new Acquire();
        if (event.shouldCommit()) {
            event.lock = lock;
            event.scheduler = scheduler;
            event.waited = waitedNanos;
            event.commit();
        }
    }

    public static void handedOff(String lock, Thread from, Thread to) {
        Handoff event = new Handoff();
        if (event.shouldCommit()) {
            event.lock = lock;
            event.from = from.getName();
            event.to = to.getName();
            event.commit();
        }
    }

    public static void dropRequested(String lock, Thread holder, int waiting) {
        DropRequest event = new DropRequest();
        if (event.shouldCommit()) {
            event.lock = lock;
            event.holder = holder == null ? null : holder.getName();
            event.waiting = waiting;
            event.commit();
        }
    }
}
