package dev.gil.python.internal;

import dev.gil.core.GlobalInterpreterLock;
import org.python.core.PyObject;

/**
 * What the Python prelude calls: the lock's breaker check, taking and leaving the lock around a thread's Python code,
 * and {@code allowThreads} around a blocking call. Public only because Jython calls it by reflection; not API.
 */
public final class GilBridge {
    private final GlobalInterpreterLock gil;

    /**
     * @param gil the lock Python code runs under
     */
    public GilBridge(GlobalInterpreterLock gil) {
        this.gil = gil;
    }

    /** The eval breaker: hands the lock over if this thread holds it and the scheduler asks (CPython's check). */
    public void poll() {
        gil.checkpointIfHeld();
    }

    /** A Python thread starts running Python code. */
    public void acquire() {
        gil.acquire();
    }

    /** A Python thread ends: it lets go of every hold it still has. */
    public void releaseAll() {
        while (gil.isHeldByCurrentThread()) {
            gil.release();
        }
    }

    /**
     * Runs a blocking call with the lock released, as CPython's C code does with {@code Py_BEGIN_ALLOW_THREADS}; a
     * thread that does not hold the lock just runs it.
     *
     * @param call the blocking call, a Python callable of no arguments
     * @return what it returned
     */
    public PyObject released(PyObject call) {
        if (!gil.isHeldByCurrentThread()) {
            return call.__call__();
        }
        return gil.allowThreads(() -> call.__call__());
    }

    /**
     * Returns the lock's name, for messages.
     *
     * @return the name
     */
    public String name() {
        return gil.name();
    }
}
