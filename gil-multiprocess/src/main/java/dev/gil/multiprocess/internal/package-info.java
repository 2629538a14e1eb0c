/**
 * Internal use only; not API, and it may change in any release. What every part of the module shares: the frame and
 * decoding limits ({@code Limits}), the module's system properties ({@code Properties}) and timeouts as nanoseconds
 * ({@code Timeouts}). The parts live in sub-packages, each with its own description: {@code wire} (what bytes mean),
 * {@code channel} (how frames move), {@code launch} (how a child JVM starts and is met), {@code child} (what runs in
 * it), {@code pool} (how a process pool feeds and looks after its workers) and {@code queue} (a process queue's
 * server). {@code docs/design/wire-format.md} and {@code docs/design/processes.md} say why.
 */
package dev.gil.multiprocess.internal;
