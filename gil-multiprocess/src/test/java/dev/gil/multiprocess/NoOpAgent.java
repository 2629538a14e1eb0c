package dev.gil.multiprocess;

import java.lang.instrument.Instrumentation;

/** A Java agent that does nothing: {@link ClassDataArchiveForkedTest} starts a child from jars with it. */
public final class NoOpAgent {
    private NoOpAgent() {}

    /**
     * Does nothing.
     *
     * @param options the agent's options
     * @param instrumentation the JVM's instrumentation
     */
    public static void premain(String options, Instrumentation instrumentation) {}
}
