/**
 * Internal use only. A {@code ProcessQueue}'s server: the process that creates a queue keeps its items, serialized
 * ({@code QueueStore}), and serves every other process that holds the queue over a private AF_UNIX socket
 * ({@code QueueServer}), one thread per connected process.
 *
 * <p><b>Guarantees.</b> A connecting process presents the queue's random token first. Items come out in the order they
 * went in. An item handed to another process stays reserved (it still takes room) until that process acknowledges
 * it; if the process goes away first, the item returns to the head of the queue, so no item is lost to a consumer
 * that died or was interrupted mid-get. Waits on behalf of a process end when the process goes away.
 */
package dev.gil.multiprocess.internal.queue;
