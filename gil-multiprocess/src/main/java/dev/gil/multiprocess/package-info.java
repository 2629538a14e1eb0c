/**
 * Python's {@code multiprocessing} for the JVM: child JVMs that run a serializable lambda ({@code JvmProcess}, like
 * {@code Process(target=do_work)}), pipes between them ({@code Pipe}, {@code Connection}), and process pools.
 *
 * <p>Not built yet: this package states the module's purpose so that the build's shape is final. See the project's
 * issue tracker ("gil-multiprocess").
 */
package dev.gil.multiprocess;
