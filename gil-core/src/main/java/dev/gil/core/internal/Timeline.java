package dev.gil.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-thread spans derived from a {@link TraceBuffer}'s contents: holding the lock, waiting for it, blocked in
 * {@code allowThreads}; plus drop requests, handoffs and the queue length over time. Times are nanoseconds since the
 * trace started. Events lost to a full buffer only shorten the picture: a span whose start was dropped is left out.
 */
public final class Timeline {
    /** A thread's state over an interval. */
    public enum State {
        HOLDING("holding the GIL", "#2e7d32"),
        WAITING("waiting for the GIL", "#e53935"),
        BLOCKING("released in allowThreads", "#1e88e5");

        public final String label;
        public final String colour;

        State(String label, String colour) {
            this.label = label;
            this.colour = colour;
        }
    }

    public record Span(int lane, State state, long start, long end) {}

    public record Instant(int lane, String name, long at) {}

    public record Handoff(long id, int fromLane, int toLane, long at, long arrivedAt) {}

    public record QueueLength(long at, int waiting) {}

    private final List<String> lanes = new ArrayList<>();
    private final List<Span> spans = new ArrayList<>();
    private final List<Instant> instants = new ArrayList<>();
    private final List<Handoff> handoffs = new ArrayList<>();
    private final List<QueueLength> queue = new ArrayList<>();
    private final long duration;

    public Timeline(TraceBuffer.Contents contents) {
        long origin = contents.startNanos();
        Map<Long, String> names = contents.threadNames();
        Map<Long, Integer> laneOf = new LinkedHashMap<>();
        Map<Integer, State> open = new HashMap<>();
        Map<Integer, Long> openSince = new HashMap<>();
        Map<Integer, Long> pendingHandoffAt = new HashMap<>();
        Map<Integer, Integer> pendingHandoffFrom = new HashMap<>();
        long lastQueueAt = -1;
        for (TraceBuffer.Event event : contents.events()) {
            long at = event.nanos() - origin;
            int lane = laneOf.computeIfAbsent(event.thread(), id -> {
                lanes.add(names.getOrDefault(id, "thread " + id));
                return lanes.size() - 1;
            });
            switch (event.kind()) {
                case WAIT -> {
                    close(lane, at, open, openSince);
                    openSpan(lane, State.WAITING, at, open, openSince);
                }
                case ACQUIRE -> {
                    close(lane, at, open, openSince);
                    openSpan(lane, State.HOLDING, at, open, openSince);
                    Long handedAt = pendingHandoffAt.remove(lane);
                    if (handedAt != null) {
                        handoffs.add(new Handoff(handoffs.size() + 1, pendingHandoffFrom.remove(lane), lane, handedAt,
                                at));
                    }
                }
                case RELEASE -> close(lane, at, open, openSince);
                case RELEASE_FOR_BLOCKING -> {
                    close(lane, at, open, openSince);
                    openSpan(lane, State.BLOCKING, at, open, openSince);
                }
                case DROP_REQUEST -> instants.add(new Instant(lane, "drop request", at));
                case HANDOFF -> {
                    int to = laneOf.computeIfAbsent(event.peer(), id -> {
                        lanes.add(names.getOrDefault(id, "thread " + id));
                        return lanes.size() - 1;
                    });
                    pendingHandoffAt.put(to, at);
                    pendingHandoffFrom.put(to, lane);
                }
                default -> throw new AssertionError(event.kind());
            }
            if (at != lastQueueAt) {
                queue.add(new QueueLength(at, event.queue()));
                lastQueueAt = at;
            }
        }
        duration = contents.endNanos() - origin;
        for (int lane : new ArrayList<>(open.keySet())) {
            close(lane, duration, open, openSince);
        }
    }

    private void openSpan(int lane, State state, long at, Map<Integer, State> open, Map<Integer, Long> since) {
        open.put(lane, state);
        since.put(lane, at);
    }

    private void close(int lane, long at, Map<Integer, State> open, Map<Integer, Long> since) {
        State state = open.remove(lane);
        if (state != null) {
            spans.add(new Span(lane, state, since.remove(lane), at));
        }
    }

    public List<String> lanes() {
        return lanes;
    }

    public List<Span> spans() {
        return spans;
    }

    public List<Instant> instants() {
        return instants;
    }

    public List<Handoff> handoffs() {
        return handoffs;
    }

    public List<QueueLength> queue() {
        return queue;
    }

    public long duration() {
        return duration;
    }
}
