package dev.gil.agent;

import dev.gil.core.GlobalInterpreterLock;

/**
 * What instrumented code calls at method entries and loop back-edges: the eval breaker check. Public only because
 * instrumented classes in any package must be able to call it; not for direct use.
 */
public final class Poll {
    private Poll() {}

    /**
     * Hands over whichever lock the current thread holds if another thread was promised it; otherwise returns at once
     * (one volatile read when no lock in the JVM has a drop request pending). See
     * {@link GlobalInterpreterLock#checkpointAnyHeld()}.
     */
    public static void poll() {
        GlobalInterpreterLock.checkpointAnyHeld();
    }
}
