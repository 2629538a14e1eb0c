package dev.gil.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The locks of this JVM that have a drop request pending, for a poll that does not know which lock its thread holds:
 * {@link GlobalInterpreterLock#checkpointAnyHeld()}, which the gil4j agent inserts into code nobody edited. CPython
 * checks the eval breaker of the interpreter whose code is running; this finds it from the other side, among the few
 * locks that asked for a switch.
 *
 * <p>With no request pending anywhere, a poll is one volatile read of {@link #count}. A lock adds itself when its
 * scheduler sets a drop request and removes itself when the request ends, under its own guard, so the set holds only
 * locks that someone is waiting for.
 */
final class PendingDropRequests {
    private static final Set<GlobalInterpreterLock> LOCKS = ConcurrentHashMap.newKeySet();
    /** The size of {@link #LOCKS}, read by every poll. */
    private static final AtomicInteger count = new AtomicInteger();

    private PendingDropRequests() {}

    /** Called by {@code gil} under its guard whenever its drop request changes. */
    static void changed(GlobalInterpreterLock gil, boolean requested) {
        if (requested ? LOCKS.add(gil) : LOCKS.remove(gil)) {
            count.addAndGet(requested ? 1 : -1);
        }
    }

    /** Hands over every lock the current thread holds whose scheduler asked for it. */
    static void checkpointHeldLocks() {
        if (count.get() != 0) {
            for (GlobalInterpreterLock gil : LOCKS) {
                gil.checkpointIfHeld();
            }
        }
    }
}
