package dev.gil.multiprocess;

/** A class whose static initialiser throws in a child JVM (and only there), and whose task is another class's. */
final class FailsToInitialiseInAChild {
    static {
        if (System.getProperty("sun.java.command", "").startsWith("dev.gil.multiprocess.internal.child.ChildMain")) {
            throw new IllegalStateException("no initialiser in a child");
        }
    }

    private FailsToInitialiseInAChild() {}

    static SerializableRunnable task() {
        return Targets::nothing;
    }
}
