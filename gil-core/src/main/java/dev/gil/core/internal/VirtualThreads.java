package dev.gil.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads, where the running JDK has them (21 and later), reached by method handles so that this library
 * still compiles and runs on JDK 17: {@code Thread.ofVirtual().name(prefix, 0).factory()}.
 */
public final class VirtualThreads {
    private VirtualThreads() {}

    /**
     * Tells whether this JDK has virtual threads.
     *
     * @return {@code true} on JDK 21 and later
     */
    public static boolean available() {
        return Runtime.version().feature() >= 21;
    }

    /**
     * A factory of virtual threads named {@code prefix0}, {@code prefix1}, ...
     *
     * @param prefix the names' prefix
     * @return the factory
     * @throws UnsupportedOperationException below JDK 21, saying so
     */
    public static ThreadFactory factory(String prefix) {
        if (!available()) {
            throw new UnsupportedOperationException("virtual threads need JDK 21 or later; this JVM is "
                    + Runtime.version());
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Object ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builder))
                    .invoke();
            MethodHandle name = lookup.findVirtual(builder, "name",
                    MethodType.methodType(builder, String.class, long.class));
            Object named = name.invoke(ofVirtual, prefix, 0L);
            MethodHandle factory = lookup.findVirtual(Class.forName("java.lang.Thread$Builder"), "factory",
                    MethodType.methodType(ThreadFactory.class));
            return (ThreadFactory) factory.invoke(named);
        } catch (Throwable e) {
            throw new UnsupportedOperationException("cannot make virtual threads on " + Runtime.version() + ": " + e, e);
        }
    }
}
