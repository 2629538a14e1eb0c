package dev.gil.core;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Every lock of this JVM that is still reachable, for code that knows no lock and must let go of whichever the current
 * thread holds: {@link GlobalInterpreterLock#allowThreadsAnyHeld}, which the gil4j agent calls around blocking calls
 * in code nobody edited. Locks are held weakly, so a lock nobody uses any more is collected as before.
 *
 * <p>Reading is a volatile read of an immutable list and one volatile read per live lock; adding (once per lock built)
 * copies the list and drops collected locks on the way, so it holds about as many entries as there are live locks.
 */
final class LiveLocks {
    private static volatile List<WeakReference<GlobalInterpreterLock>> live = List.of();

    private LiveLocks() {}

    /** Called once by every lock as it is built. */
    static synchronized void add(GlobalInterpreterLock gil) {
        List<WeakReference<GlobalInterpreterLock>> kept = new ArrayList<>(live.size() + 1);
        for (WeakReference<GlobalInterpreterLock> ref : live) {
            if (ref.get() != null) {
                kept.add(ref);
            }
        }
        kept.add(new WeakReference<>(gil));
        live = List.copyOf(kept);
    }

    /** The locks the current thread holds, in the order they were built; usually none or one. */
    static List<GlobalInterpreterLock> heldByCurrentThread() {
        List<GlobalInterpreterLock> held = List.of();
        for (WeakReference<GlobalInterpreterLock> ref : live) {
            GlobalInterpreterLock gil = ref.get();
            if (gil != null && gil.isHeldByCurrentThread()) {
                if (held.isEmpty()) {
                    held = new ArrayList<>(1);
                }
                held.add(gil);
            }
        }
        return held;
    }
}
