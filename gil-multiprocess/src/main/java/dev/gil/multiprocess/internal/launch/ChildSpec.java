package dev.gil.multiprocess.internal.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one child JVM.
 *
 * @param name for threads and messages
 * @param daemon killed, not waited for, when this JVM exits
 * @param jvmOptions options after ours
 * @param environment added to this JVM's
 * @param workingDirectory or null for this JVM's
 * @param warmStart take the launcher's standby JVM instead of booting one
 * @param outputPrefix put before each line the child prints
 */
public record ChildSpec(String name, boolean daemon, List<String> jvmOptions, Map<String, String> environment,
        Path workingDirectory, boolean warmStart, String outputPrefix) {

    public ChildSpec {
        jvmOptions = List.copyOf(jvmOptions);
        environment = Map.copyOf(environment);
    }

    /** A pool worker: a daemon whose lines carry its name. */
    public static ChildSpec worker(String name, List<String> jvmOptions, boolean warmStart) {
        return new ChildSpec(name, true, jvmOptions, Map.of(), null, warmStart, "[" + name + "] ");
    }
}
