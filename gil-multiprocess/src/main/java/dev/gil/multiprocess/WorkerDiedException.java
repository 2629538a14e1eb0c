package dev.gil.multiprocess;

import java.util.OptionalInt;

/**
 * The worker running a task died before the task finished: killed ({@code kill -9}), {@code System.exit},
 * {@code Runtime.halt}, or a crash. Only the task it was running fails; the tasks queued behind it go to other
 * workers, and the pool starts a replacement. (CPython's {@code Pool} hangs in this case and its
 * {@code ProcessPoolExecutor} breaks for good.)
 *
 * <pre>{@code
 * CompletableFuture<Integer> f = pool.applyAsync(Work::crashy, 7);
 * try {
 *     f.get();
 * } catch (ExecutionException e) {
 *     if (e.getCause() instanceof WorkerDiedException died) {
 *         System.err.println(died.workerName() + " pid " + died.pid() + " exit " + died.exitCode());
 *     }
 * }
 * }</pre>
 */
public final class WorkerDiedException extends TaskFailedException {
    private static final long serialVersionUID = 1L;

    /** The name of the worker that died. */
    private final String workerName;
    /** Its process id. */
    private final long pid;
    /** Its exit code, Python style, or null if it could not be read. */
    private final Integer exitCode;

    /**
     * Creates the exception.
     *
     * @param workerName the worker's name
     * @param pid the worker's process id
     * @param exitCode the worker's exit code, Python style ({@code -9} for SIGKILL), or empty if it could not be read
     */
    public WorkerDiedException(String workerName, long pid, OptionalInt exitCode) {
        super("worker " + workerName + " (pid " + pid + ") died while running the task, exit code "
                + (exitCode.isPresent() ? String.valueOf(exitCode.getAsInt()) : "unknown"), null);
        this.workerName = workerName;
        this.pid = pid;
        this.exitCode = exitCode.isPresent() ? exitCode.getAsInt() : null;
    }

    /**
     * Returns the name of the worker that died.
     *
     * @return the worker's name
     */
    public String workerName() {
        return workerName;
    }

    /**
     * Returns the process id of the worker that died.
     *
     * @return the pid
     */
    public long pid() {
        return pid;
    }

    /**
     * Returns the worker's exit code, Python style: {@code -9} when killed by SIGKILL, {@code n} after
     * {@code System.exit(n)}.
     *
     * @return the exit code, empty if it could not be read
     */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }
}
