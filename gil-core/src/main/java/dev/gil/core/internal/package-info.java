/**
 * Internal use only; nothing here is API and it may change in any release. Use the factories on
 * {@link dev.gil.core.HandoffScheduler} and the methods of {@link dev.gil.core.GlobalInterpreterLock} instead.
 *
 * <ul>
 *   <li><b>Scheduling.</b> The built-in policies ({@code UnfairScheduler}, {@code FairScheduler},
 *       {@code SwitchIntervalScheduler}, {@code IoPriorityScheduler}, {@code EventuallyFairScheduler}), the wait-queue
 *       node {@code Waiter}, and {@code GuardedScheduler}, which keeps a user's scheduler that throws or names a
 *       stranger from breaking the lock.
 *   <li><b>Observation.</b> {@code LockObserver} is the one interface the lock's state machine calls at its events,
 *       with the clock readings it took anyway; {@code LockObservers} passes each event to JFR ({@code JfrObserver}),
 *       to timings ({@code TimingObserver}, {@code TimingStats}, {@code SingleWriterHistogram}) and to a running
 *       trace ({@code TraceObserver}, {@code TraceBuffer}). Instruments record with plain stores into memory owned by
 *       the recording thread, so a handoff gains no lock, no atomic instruction and no clock reading from them.
 *   <li><b>Output.</b> {@code Timeline} turns a trace into slices, which {@code ChromeTraceWriter} (Perfetto) and
 *       {@code SvgTimelineWriter} write.
 * </ul>
 */
package dev.gil.core.internal;
