/**
 * Python's {@code multiprocessing} for the JVM: child JVMs that run a serializable lambda
 * ({@link dev.gil.multiprocess.JvmProcess}, like {@code Process(target=do_work)}) and pipes between them
 * ({@link dev.gil.multiprocess.Pipe}, {@link dev.gil.multiprocess.Connection}).
 *
 * <p>Process pools are not built yet (see the project's issue tracker).
 */
package dev.gil.multiprocess;
