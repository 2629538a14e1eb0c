package dev.gil.multiprocess;

/**
 * A pool task failed. The cause is the task's own exception as it was thrown in the worker: the original exception
 * (its class, message and the worker's stack trace) when it could be sent back, otherwise a {@link ChildException}
 * carrying the original class name. A task whose worker died fails with the subclass {@link WorkerDiedException}.
 *
 * <pre>{@code
 * try {
 *     pool.map(x -> 10 / x, List.of(1, 0, 2));
 * } catch (TaskFailedException e) {
 *     System.err.println(e.getMessage());        // task #1 failed: java.lang.ArithmeticException: / by zero
 *     Throwable inWorker = e.getCause();          // the ArithmeticException, with the worker's stack trace
 * }
 * }</pre>
 */
public class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the task's exception, or {@code null}
     */
    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Describes the failure of the task at {@code itemIndex} of a call: {@code failure} itself if it already is a
     * {@code TaskFailedException} (such as a {@link WorkerDiedException}), else a new one with it as the cause.
     *
     * @param failure the task's exception
     * @param itemIndex the index of the failed input in the call
     * @return the exception to throw
     */
    public static TaskFailedException of(Throwable failure, long itemIndex) {
        if (failure instanceof TaskFailedException) {
            return (TaskFailedException) failure;
        }
        return new TaskFailedException("task #" + itemIndex + " failed: " + failure, failure);
    }
}
