package dev.gil.multiprocess;

/** A class whose task is another class's method: a child initialises it before the task runs, as rebuilding did. */
final class CapturingWithInitialiser {
    static final String PROPERTY = "gil4j.test.capturingInitialised";

    static {
        System.setProperty(PROPERTY, "yes");
    }

    private CapturingWithInitialiser() {}

    static SerializableCallable<String> task() {
        return Targets::capturingClassInitialised;
    }
}
