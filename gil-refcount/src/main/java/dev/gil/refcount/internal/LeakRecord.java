package dev.gil.refcount.internal;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the leak detector knows about one tracked object: where it was created and its last few {@code touch}
 * records. It outlives the object (it is a phantom reference), so a report can still be written after the object was
 * collected without being released.
 */
public final class LeakRecord extends PhantomReference<Object> {
    private final String className;
    private final Throwable creation;
    private final int maxTouches;
    /** Guarded by {@code this}. */
    private final Deque<Throwable> touches = new ArrayDeque<>();
    /** Guarded by {@code this}. */
    private int droppedTouches;
    private volatile boolean closed;

    public LeakRecord(Object referent, ReferenceQueue<Object> queue, int maxTouches) {
        super(referent, queue);
        this.className = referent.getClass().getName();
        this.creation = new Throwable("created at");
        this.maxTouches = maxTouches;
    }

    public synchronized void touch(Object hint) {
        if (closed || maxTouches == 0) {
            return;
        }
        if (touches.size() == maxTouches) {
            touches.removeFirst();
            droppedTouches++;
        }
        touches.addLast(new Throwable("touched: " + hint + " (thread '" + Thread.currentThread().getName() + "')"));
    }

    /** The object was released to zero: not a leak. Returns {@code false} if it was already closed. */
    public boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        clear();
        return true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** A human-readable report: the class, the creation site, then the touches, newest last. */
    public synchronized String report() {
        StringBuilder out = new StringBuilder("LEAK: a ").append(className)
                .append(" was garbage-collected without its reference count reaching zero.\n");
        appendTrace(out, creation);
        if (droppedTouches > 0) {
            out.append("(").append(droppedTouches).append(" older touch records dropped)\n");
        }
        for (Throwable touch : touches) {
            appendTrace(out, touch);
        }
        return out.toString();
    }

    /** Frames of the library itself say nothing about where the user's code created or touched the object. */
    private static boolean isOwnFrame(String className) {
        return className.startsWith("dev.gil.refcount.internal.") || className.equals("dev.gil.refcount.Rc")
                || className.equals("dev.gil.refcount.AbstractRefCounted")
                || className.equals("dev.gil.refcount.LeakDetector");
    }

    private static void appendTrace(StringBuilder out, Throwable trace) {
        out.append(trace.getMessage()).append('\n');
        for (StackTraceElement frame : trace.getStackTrace()) {
            if (!isOwnFrame(frame.getClassName())) {
                out.append("\tat ").append(frame).append('\n');
            }
        }
    }
}
