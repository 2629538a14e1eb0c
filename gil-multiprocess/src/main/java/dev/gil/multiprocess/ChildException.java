package dev.gil.multiprocess;

/**
 * An exception from a child JVM that could not be sent back as itself (its class is not serializable, or something it
 * refers to is not): Python's {@code RemoteTraceback}. It carries the original class name and message, and the
 * child's stack trace as its own.
 *
 * <pre>{@code
 * child.failure().ifPresent(e -> System.err.println("child failed: " + e));
 * }</pre>
 */
public final class ChildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The class name of the child's exception. */
    private final String originalClassName;

    /**
     * Creates the stand-in for {@code original}, copying its class name, message, stack trace and causes.
     *
     * @param original the child's exception
     */
    public ChildException(Throwable original) {
        super(original.getMessage(), original.getCause() == null ? null : new ChildException(original.getCause()));
        this.originalClassName = original.getClass().getName();
        setStackTrace(original.getStackTrace());
    }

    /**
     * Returns the class name of the child's exception.
     *
     * @return a fully qualified class name
     */
    public String originalClassName() {
        return originalClassName;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return originalClassName + (message == null ? "" : ": " + message) + " (in a child JVM)";
    }
}
