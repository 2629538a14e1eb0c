/**
 * Internal use only. How a {@code ProcessPool} runs the chunks its front end ({@code AbstractTaskPool}) submits.
 *
 * <p><b>Guarantees.</b> The {@code Dispatcher} queues chunks and feeds each worker from its own thread, never more than
 * its window (enough queued work to hide a round trip, no more than its fair share); a chunk's future completes
 * exactly once, with its results, its failure, a {@code WorkerDiedException} or a cancellation. The
 * {@code Supervisor} starts workers, and when one dies fails the chunk it ran, gives its queued chunks back to the
 * dispatcher and starts a replacement; after repeated failed starts with no worker left the pool breaks and says why.
 * A {@code PoolWorker} keeps one worker's state, guarded by the dispatcher's lock; it knows no pool class.
 *
 * <p><b>How.</b> The route of a {@code map}: {@code AbstractTaskPool} cuts chunks, {@code ProcessPool} ships the
 * function once ({@code FunctionShipper}), the {@code Dispatcher} queues the chunk, a feeder thread encodes and sends a
 * batch to its {@code PoolWorker}'s {@code Child}; the answer comes back on the child's control thread to the
 * dispatcher, which completes the chunk's future. {@code PoolProtocol} lists the frames.
 */
package dev.gil.multiprocess.internal.pool;
