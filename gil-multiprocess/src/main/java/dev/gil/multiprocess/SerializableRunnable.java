package dev.gil.multiprocess;

import java.io.Serializable;

/**
 * Work with no result that can cross into a child JVM: a lambda or method reference whose target type this is is
 * serialized, with everything it captures. Captured values must be serializable; a {@link Connection} may be
 * captured and is live in the child.
 *
 * <pre>{@code
 * JvmProcess child = new JvmProcess(() -> System.out.println("hello from " + ProcessHandle.current().pid()));
 * }</pre>
 */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {

    /**
     * Does the work.
     *
     * @throws Exception anything; it becomes the child's {@link JvmProcess#failure()} and exit code 1
     */
    void run() throws Exception;
}
