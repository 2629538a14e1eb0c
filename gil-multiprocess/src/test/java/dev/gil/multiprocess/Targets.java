package dev.gil.multiprocess;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Targets for child JVMs: static methods, so no lambda captures a test instance. */
final class Targets {
    private Targets() {}

    /** The names of the collectors this JVM runs, as its management beans give them. */
    static String collectors() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static String capturingClassInitialised() {
        return System.getProperty(CapturingWithInitialiser.PROPERTY, "no");
    }

    static void nothing() {}

    static void fail() {
        throw new IllegalStateException("boom in the child");
    }

    static void failUnserializably() {
        throw new Unserializable("cannot cross");
    }

    static long fortyTwo() {
        return 42L;
    }

    static void sleepForever() throws InterruptedException {
        TimeUnit.DAYS.sleep(1);
    }

    static void readyThenSleep(Connection ready) throws Exception {
        ready.send("ready");
        TimeUnit.DAYS.sleep(1);
    }

    /** Everything that could corrupt a channel on stdout: prints, raw writes to fd 1, stderr, a partial line. */
    static String noisy() throws IOException {
        for (int i = 0; i < 200; i++) {
            System.out.println("line " + i + " from the child");
        }
        System.err.println("to stderr");
        FileOutputStream raw = new FileOutputStream(FileDescriptor.out);
        raw.write("\u0000\u0001raw bytes on fd 1 ####\n".getBytes(StandardCharsets.ISO_8859_1));
        raw.flush();
        System.out.print("no newline at the end");
        return "intact";
    }

    /** Says it is ready, waits to be told to go (a thread dump may be taken meanwhile), and returns a value. */
    static String readyThenAnswer(Connection control) throws Exception {
        control.send("ready");
        control.recv();
        return "intact after the dump";
    }

    static void logThroughSlf4j() {
        org.slf4j.LoggerFactory.getLogger("dev.gil.multiprocess.child").warn("a warning logged in the child JVM");
    }

    static void echo(Connection connection) throws Exception {
        for (;;) {
            Object message;
            try {
                message = connection.recv();
            } catch (java.io.EOFException closed) {
                return;
            }
            connection.send(message);
        }
    }

    /** Throws an exception whose class is not serializable: it holds a non-serializable field. */
    static final class Unserializable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final transient Object marker = new Object();
        private final Thread notSerializable = Thread.currentThread();

        Unserializable(String message) {
            super(message);
        }

        Thread thread() {
            return notSerializable;
        }
    }
}
