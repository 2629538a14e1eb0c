package dev.gil.core;

import dev.gil.core.internal.ChromeTraceWriter;
import dev.gil.core.internal.LockObservers;
import dev.gil.core.internal.SvgTimelineWriter;
import dev.gil.core.internal.Timeline;
import dev.gil.core.internal.TraceBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A recording of who held, waited for and blocked outside a {@link GlobalInterpreterLock}, from
 * {@link GlobalInterpreterLock#startTrace()}: the question "who was waiting, for how long, and why", answered with
 * the tools people already open.
 *
 * <pre>{@code
 * GilTrace trace = gil.startTrace();
 * runTheWorkload();
 * trace.stop();
 * trace.writeChromeJson(dir.resolve("gil.json"));   // open in https://ui.perfetto.dev or chrome://tracing
 * trace.writeSvg(dir.resolve("gil.svg"));           // open in any browser
 * }</pre>
 *
 * <p>In Perfetto each thread is a track; green slices are the times it held the lock, red the times it waited, blue
 * the times it was blocked in {@code allowThreads}; arrows go from the thread that handed the lock over to the one
 * that got it; orange marks are drop requests; the {@code queue} counter shows how many threads waited.
 *
 * <p>Memory is bounded by the capacity given at start (24 bytes an event; a thread that first takes part after the
 * capacity is spent still gets room for 64 events): when it is full the oldest events are dropped and counted
 * ({@link #droppedEvents()}), never an out-of-memory error. The written trace starts where every thread's events are
 * complete, so no thread's past is shown without the others'. Each thread records into its own buffer with the
 * times the lock read anyway, so tracing adds no clock readings, locks or atomic instructions to a handoff. Times
 * are the lock's {@link GlobalInterpreterLock.Builder#ticker ticker}'s: a lock driven by a fake clock traces fake
 * time. Thread-safe. A trace records once: after
 * {@link #stop()} it only writes.
 */
public final class GilTrace implements AutoCloseable {
    /** Events kept by {@link GlobalInterpreterLock#startTrace()}: about 25 MB. */
    public static final int DEFAULT_CAPACITY = 1 << 20;

    private final GlobalInterpreterLock lock;
    private final LockObservers observers;
    private final TraceBuffer buffer;

    private GilTrace(GlobalInterpreterLock lock, LockObservers observers, TraceBuffer buffer) {
        this.lock = lock;
        this.observers = observers;
        this.buffer = buffer;
    }

    /** Starts a trace of {@code lock}, whose events reach it through {@code observers}. */
    static GilTrace start(GlobalInterpreterLock lock, LockObservers observers, int capacity) {
        return new GilTrace(lock, observers, observers.startTrace(capacity));
    }

    /** Stops recording; the lock runs untraced again. Stopping again does nothing. */
    public void stop() {
        buffer.stop();
        observers.stopTrace(buffer);
    }

    /** Same as {@link #stop()}, for try-with-resources. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Tells whether events are still being recorded.
     *
     * @return {@code true} until {@link #stop()}
     */
    public boolean isRecording() {
        return buffer.isRecording();
    }

    /**
     * Returns how many events the trace would write now (at most the capacity, and more only for latecomers).
     *
     * @return the number of events
     */
    public long eventCount() {
        return buffer.contents().events().size();
    }

    /**
     * Returns how many of the oldest events were overwritten because the buffer was full, or left out because another
     * thread's events from that time were.
     *
     * @return the number of dropped events
     */
    public long droppedEvents() {
        return buffer.contents().dropped();
    }

    /**
     * Writes the trace as Chrome Trace Event JSON. A trace with no events writes a valid, empty trace.
     *
     * @param file where to write; parent directories must exist
     * @throws IOException if the file cannot be written; the message names it, and the lock is unaffected
     */
    public void writeChromeJson(Path file) throws IOException {
        TraceBuffer.Contents contents = buffer.contents();
        write(file, ChromeTraceWriter.write(new Timeline(contents), lock.name(), contents.dropped()));
    }

    /**
     * Writes the trace as a self-contained SVG timeline.
     *
     * @param file where to write; parent directories must exist
     * @throws IOException if the file cannot be written; the message names it, and the lock is unaffected
     */
    public void writeSvg(Path file) throws IOException {
        write(file, toSvg());
    }

    /**
     * Returns the SVG timeline as text, for embedding in a report.
     *
     * @return the SVG document
     */
    public String toSvg() {
        TraceBuffer.Contents contents = buffer.contents();
        return SvgTimelineWriter.write(new Timeline(contents), lock.name(), contents.dropped());
    }

    private static void write(Path file, String content) throws IOException {
        Objects.requireNonNull(file, "file");
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot write the GIL trace to " + file.toAbsolutePath() + ": " + e, e);
        }
    }
}
