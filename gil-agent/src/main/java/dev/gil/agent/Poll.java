package dev.gil.agent;

import dev.gil.core.GlobalInterpreterLock;

/**
 * What instrumented code calls at method entries and loop back-edges: the eval breaker check. Public only because
 * instrumented classes in any package must be able to call it; not for direct use.
 */
public final class Poll {
    /** The lock instrumented code hands over; set by {@link GilAgent#lock(GlobalInterpreterLock)}. */
    private static volatile GlobalInterpreterLock lock;

    private Poll() {}

    /**
     * Hands the lock over if this thread holds it and another thread was promised it; otherwise returns at once
     * (two volatile reads when nobody waits).
     */
    public static void poll() {
        GlobalInterpreterLock current = lock;
        if (current != null) {
            current.checkpointIfHeld();
        }
    }

    static void use(GlobalInterpreterLock gil) {
        lock = gil;
    }
}
