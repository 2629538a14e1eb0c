package dev.gil.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded ring of lock events. When full, the oldest events are overwritten and counted as dropped: memory stays at
 * the capacity given, whatever the run's length. Appends are synchronized (events come mostly from the holder, so the
 * monitor is rarely contended).
 */
public final class TraceBuffer {
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
        HANDOFF
    }

    /** One event. {@code peer} is the receiving thread of a handoff, else -1; {@code queue} the waiters then. */
    public record Event(long nanos, Kind kind, long thread, long peer, int queue) {}

    private final int capacity;
    private final long[] nanos;
    private final Kind[] kinds;
    private final long[] threads;
    private final long[] peers;
    private final int[] queues;
    private final Map<Long, String> names = new HashMap<>();
    private final long startNanos = System.nanoTime();
    private long written;
    private volatile boolean recording = true;
    private long stopNanos;

    public TraceBuffer(int capacity) {
        this.capacity = capacity;
        this.nanos = new long[capacity];
        this.kinds = new Kind[capacity];
        this.threads = new long[capacity];
        this.peers = new long[capacity];
        this.queues = new int[capacity];
    }

    public boolean isRecording() {
        return recording;
    }

    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+
    public synchronized void record(Kind kind, Thread thread, Thread peer, int queue) {
        if (!recording) {
            return;
        }
        int slot = (int) (written++ % capacity);
        nanos[slot] = System.nanoTime();
        kinds[slot] = kind;
        threads[slot] = thread.getId();
        peers[slot] = peer == null ? -1 : peer.getId();
        queues[slot] = queue;
        names.putIfAbsent(thread.getId(), thread.getName());
        if (peer != null) {
            names.putIfAbsent(peer.getId(), peer.getName());
        }
    }

    public synchronized void stop() {
        if (recording) {
            recording = false;
            stopNanos = System.nanoTime();
        }
    }

    public synchronized long dropped() {
        return Math.max(0, written - capacity);
    }

    public synchronized long recorded() {
        return Math.min(written, capacity);
    }

    public long startNanos() {
        return startNanos;
    }

    /** When recording stopped, or now if it has not. */
    public synchronized long endNanos() {
        return recording ? System.nanoTime() : stopNanos;
    }

    /** The events still held, oldest first. */
    public synchronized List<Event> events() {
        List<Event> result = new ArrayList<>((int) recorded());
        long first = Math.max(0, written - capacity);
        for (long i = first; i < written; i++) {
            int slot = (int) (i % capacity);
            result.add(new Event(nanos[slot], kinds[slot], threads[slot], peers[slot], queues[slot]));
        }
        return result;
    }

    public synchronized Map<Long, String> threadNames() {
        return new HashMap<>(names);
    }
}
