package dev.gil.core.internal;

import com.google.common.base.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lock events, kept in bounded memory: each thread appends to its own ring, so recording an event is a few plain
 * stores on memory no other thread writes (no monitor, no atomic instruction, no clock reading: the lock passes the
 * times it read anyway).
 *
 * <p><b>Bounds.</b> The rings together hold at most {@code capacity} events: a thread's ring starts at up to
 * {@value #FIRST_RING} events and doubles while the budget lasts; once it cannot grow, its oldest events are
 * overwritten. A thread that arrives after the budget is spent still gets {@value #SMALLEST_RING} events, so memory
 * is at most {@code capacity} plus {@value #SMALLEST_RING} events per latecomer, 24 bytes an event.
 *
 * <p><b>What a reader sees.</b> {@link #contents()} merges the rings in time order. Once some ring has overwritten
 * events, the others' events from before its oldest survivor are left out as well (and counted as dropped), so the
 * picture starts at one moment for every thread instead of showing one thread's past without the others'. Reading
 * while threads record is safe: a slot being overwritten during the copy is detected and left out.
 */
public final class TraceBuffer {
    static final int FIRST_RING = 1024;
    static final int SMALLEST_RING = 64;

    /** What happened. */
    public enum Kind {
        /** The thread started to wait for the lock. */
        WAIT,
        /** The thread took the lock. */
        ACQUIRE,
        /** The thread let go of the lock. */
        RELEASE,
        /** The thread let go of the lock to block in allowThreads. */
        RELEASE_FOR_BLOCKING,
        /** The scheduler asked the holder to drop the lock. */
        DROP_REQUEST,
        /** The holder handed the lock directly to the thread in {@code peer}. */
        HANDOFF;

        private static final Kind[] VALUES = values();

        /**
         * Among events at the same instant in different threads, the order that keeps cause before effect: a
         * handoff before the receiver's acquisition, a release before anyone's acquisition.
         */
        private int rankAtSameInstant() {
            return this == ACQUIRE ? 1 : 0;
        }
    }

    /** One event. {@code peer} is the receiving thread of a handoff, else -1; {@code queue} the waiters then. */
    public record Event(long nanos, Kind kind, long thread, long peer, int queue) {}

    /**
     * What the trace holds: events in time order (each thread's in the order it recorded them), thread names, the
     * count of events left out, and the interval covered, on the lock's ticker.
     */
    public record Contents(List<Event> events, Map<Long, String> threadNames, long dropped, long startNanos,
            long endNanos) {}

    private final int capacity;
    private final Ticker ticker;
    private final long startNanos;
    private final AtomicLong reserved = new AtomicLong();
    private final Queue<Ring> rings = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Ring> ringOfThread = ThreadLocal.withInitial(this::newRing);
    private volatile boolean recording = true;
    private volatile long stopNanos;

    public TraceBuffer(int capacity, Ticker ticker) {
        this.capacity = capacity;
        this.ticker = ticker;
        this.startNanos = ticker.read();
    }

    public boolean isRecording() {
        return recording;
    }

    /** Records an event of the current thread at {@code nanos} on the lock's ticker. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
    public void record(Kind kind, long nanos, Thread peer, int queue) {
        if (recording) {
            ringOfThread.get().append(nanos, kind, peer == null ? -1 : peer.getId(), queue);
        }
    }

    public synchronized void stop() {
        if (recording) {
            stopNanos = ticker.read();
            recording = false;
        }
    }

    /** The events and what was dropped, read now. */
    public Contents contents() {
        long end = recording ? ticker.read() : stopNanos;
        List<RingCopy> copies = new ArrayList<>();
        long written = 0;
        long cutoff = Long.MIN_VALUE;
        Map<Long, String> names = new HashMap<>();
        for (Ring ring : rings) {
            RingCopy copy = ring.copy();
            names.put(ring.threadId, ring.threadName);
            written += copy.written;
            if (copy.overwritten && copy.remaining() > 0) {
                cutoff = Math.max(cutoff, copy.nanos(0));
            }
            copies.add(copy);
        }
        List<Event> events = merge(copies, cutoff);
        return new Contents(events, names, written - events.size(), startNanos, end);
    }

    /** Merges the rings by time, keeping each ring's order; events before {@code cutoff} are left out. */
    private static List<Event> merge(List<RingCopy> copies, long cutoff) {
        PriorityQueue<RingCopy> heads = new PriorityQueue<>(Comparator.comparingLong(RingCopy::headNanos)
                .thenComparingInt(copy -> copy.headKind().rankAtSameInstant()));
        int total = 0;
        for (RingCopy copy : copies) {
            copy.skipBefore(cutoff);
            total += copy.remaining();
            if (copy.remaining() > 0) {
                heads.add(copy);
            }
        }
        List<Event> events = new ArrayList<>(total);
        while (!heads.isEmpty()) {
            RingCopy copy = heads.poll();
            events.add(copy.takeHead());
            if (copy.remaining() > 0) {
                heads.add(copy);
            }
        }
        return events;
    }

    private Ring newRing() {
        Ring ring = new Ring(Thread.currentThread(), reserve(SMALLEST_RING, FIRST_RING));
        rings.add(ring);
        return ring;
    }

    /** Takes up to {@code wanted} events from the budget, and at least {@code least} whatever the budget says. */
    private int reserve(int least, int wanted) {
        for (;;) {
            long taken = reserved.get();
            int granted = (int) Math.max(least, Math.min(wanted, capacity - taken));
            if (reserved.compareAndSet(taken, taken + granted)) {
                return granted;
            }
        }
    }

    /**
     * One thread's events, three longs each: time, peer, kind and queue length. Only that thread appends. It claims
     * a slot before writing it and publishes it after, so a reader can tell which slots it may have seen half-written.
     */
    private final class Ring {
        private static final VarHandle CLAIMED;
        private static final VarHandle PUBLISHED;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                CLAIMED = lookup.findVarHandle(Ring.class, "claimed", long.class);
                PUBLISHED = lookup.findVarHandle(Ring.class, "published", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long threadId;
        final String threadName;
        /** Replaced by a bigger copy while the ring grows; never written again once replaced. */
        private volatile long[] slots;
        private boolean canGrow = true;
        private int next;
        private long claimed;
        private long published;

        @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
        Ring(Thread thread, int events) {
            this.threadId = thread.getId();
            this.threadName = thread.getName();
            this.slots = new long[3 * events];
        }

        void append(long nanos, Kind kind, long peer, int queue) {
            long[] ring = slots;
            if (next == ring.length) {
                ring = canGrow ? grow(ring) : ring;
                next = next == ring.length ? 0 : next;
            }
            long event = published;
            CLAIMED.setOpaque(this, event + 1);
            VarHandle.storeStoreFence(); // a reader that sees the slot's new values sees the claim
            ring[next] = nanos;
            ring[next + 1] = peer;
            ring[next + 2] = (long) kind.ordinal() << 32 | (queue & 0xFFFF_FFFFL);
            next += 3;
            PUBLISHED.setRelease(this, event + 1);
        }

        /** Doubles the ring while the budget lasts; a ring that could not grow wraps from then on. */
        private long[] grow(long[] full) {
            int events = full.length / 3;
            int more = reserve(0, events);
            if (more == 0) {
                canGrow = false;
                return full;
            }
            long[] bigger = Arrays.copyOf(full, full.length + 3 * more);
            slots = bigger;
            return bigger;
        }

        RingCopy copy() {
            long published = (long) PUBLISHED.getAcquire(this);
            long[] ring = slots;
            int size = ring.length / 3;
            long first = Math.max(0, published - size);
            long[] copy = new long[(int) (3 * (published - first))];
            for (long event = first; event < published; event++) {
                System.arraycopy(ring, (int) (event % size) * 3, copy, (int) (event - first) * 3, 3);
            }
            VarHandle.loadLoadFence(); // read the claims after the slots: see the append
            long claimed = (long) CLAIMED.getOpaque(this);
            // Events before this one may have been overwritten while we copied (all of them, if the writer lapped us).
            long intact = Math.min(published, Math.max(first, claimed - size));
            RingCopy result = new RingCopy(threadId, copy, published, published > size);
            result.skipEvents((int) (intact - first));
            return result;
        }
    }

    /** A reader's copy of one ring, consumed from the head. */
    private static final class RingCopy {
        final long threadId;
        final long[] slots;
        final long written;
        final boolean overwritten;
        private int head;
        private long lastNanos = Long.MIN_VALUE;

        RingCopy(long threadId, long[] slots, long written, boolean overwritten) {
            this.threadId = threadId;
            this.slots = slots;
            this.written = written;
            this.overwritten = overwritten;
        }

        int remaining() {
            return slots.length / 3 - head;
        }

        long nanos(int index) {
            return slots[3 * (head + index)];
        }

        void skipEvents(int events) {
            head += events;
        }

        void skipBefore(long cutoff) {
            while (remaining() > 0 && nanos(0) < cutoff) {
                head++;
            }
        }

        /** The head's time, never earlier than the event before it: each thread's events stay in order. */
        long headNanos() {
            return Math.max(lastNanos, nanos(0));
        }

        Kind headKind() {
            return Kind.VALUES[(int) (slots[3 * head + 2] >>> 32)];
        }

        Event takeHead() {
            long nanos = headNanos();
            long kindAndQueue = slots[3 * head + 2];
            Event event = new Event(nanos, Kind.VALUES[(int) (kindAndQueue >>> 32)], threadId, slots[3 * head + 1],
                    (int) kindAndQueue);
            lastNanos = nanos;
            head++;
            return event;
        }
    }
}
