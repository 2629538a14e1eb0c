/**
 * Internal use only. What runs in a child JVM: {@code ChildMain} meets the parent on the control channel, reads its
 * task, runs it (a lambda sent by reference calls its static method directly, {@code DirectCall}) and reports its
 * result, failure or exit; a pool worker's task is {@code WorkerLoop} (its name and initializer, packed), which runs
 * chunks until told to stop.
 *
 * <p><b>Guarantees.</b> The child's {@code System.out} and {@code System.err} never touch the control channel; it
 * exits by itself within about a fifth of a second once its parent is gone; it says goodbye before an orderly exit, so
 * that an exit code above 128 is not mistaken for a signal.
 */
package dev.gil.multiprocess.internal.child;
