/**
 * Python's {@code multiprocessing} for the JVM: child JVMs that run a serializable lambda
 * ({@link dev.gil.multiprocess.JvmProcess}, like {@code Process(target=do_work)}) and pipes between them
 * ({@link dev.gil.multiprocess.Pipe}, {@link dev.gil.multiprocess.Connection}).
 *
 * <p>For batches: {@link dev.gil.multiprocess.ProcessPool} ({@code Pool.map}, {@code imap}, {@code apply_async}),
 * {@link dev.gil.multiprocess.ProcessPoolExecutor} (an {@link java.util.concurrent.ExecutorService}, like
 * {@code concurrent.futures.ProcessPoolExecutor}) and {@link dev.gil.multiprocess.ProcessQueue}
 * ({@code multiprocessing.Queue}). Unlike CPython's, a pool survives the death of a worker: only the task it was
 * running fails, with {@link dev.gil.multiprocess.WorkerDiedException}.
 */
package dev.gil.multiprocess;
