/**
 * Python programs on Jython under gil4j's lock: {@link dev.gil.python.PythonRunner} runs a {@code .py} file with no
 * lock (Jython as it is, threads in parallel) or under a {@link dev.gil.core.GlobalInterpreterLock} with any
 * {@link dev.gil.core.HandoffScheduler}, where threads take turns as CPython's do and blocking calls let the lock go.
 */
package dev.gil.python;
