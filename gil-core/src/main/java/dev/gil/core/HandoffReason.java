package dev.gil.core;

/**
 * Why the holder of a {@link GlobalInterpreterLock} is letting go, as told to a {@link HandoffScheduler}.
 *
 * <pre>{@code
 * public WaitingThread successor(HandoffReason reason, SchedulingContext context) {
 *     return reason == HandoffReason.CHECKPOINT ? context.waiters().get(0) : null;
 * }
 * }</pre>
 */
public enum HandoffReason {
    /**
     * The holder released the lock for good: {@link GlobalInterpreterLock#release()} of its last hold, the start of
     * {@link GlobalInterpreterLock#allowThreads(BlockingCallable)}, or the end of a {@link GilThread}.
     */
    RELEASE,
    /**
     * The holder reached {@link GlobalInterpreterLock#checkpoint()} while a drop was requested; it will queue for the
     * lock again right after letting go.
     */
    CHECKPOINT
}
