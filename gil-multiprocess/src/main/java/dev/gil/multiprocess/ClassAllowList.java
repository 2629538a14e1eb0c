package dev.gil.multiprocess;

import static com.google.common.base.Preconditions.checkArgument;

import dev.gil.multiprocess.internal.wire.AllowedClasses;
import java.util.Objects;

/**
 * Which classes an object arriving from another JVM may be made of: what gil4j decodes from a {@link Connection}, a
 * {@link ProcessQueue}, a child's result or a pool's arguments and results.
 *
 * <p>By default: JDK value types ({@code java.lang}, {@code java.util}, {@code java.time}, {@code java.math},
 * {@code java.net.URI}), gil4j's own, and the application's own classes, meaning every class whose class file lies in
 * a directory (as IDEs, Maven and Gradle run an application) or in the jar the JVM's main class came from
 * ({@code java -jar app.jar}). A class from any other jar (a library's) is refused before it is loaded, with an
 * {@code InvalidClassException} that names it: that is where deserialization gadgets live. Add what your messages
 * need:
 *
 * <pre>{@code
 * ClassAllowList.allow("com.example.orders.**");        // a package and its subpackages
 * ClassAllowList.allow("com.google.common.collect.*");  // one package: Guava's immutable collections
 * }</pre>
 *
 * <p>{@link #allowClassPath()} admits every class that is not the JDK's, as gil4j 0.1 did. The same settings can be
 * given as system properties ({@code dev.gil.multiprocess.serialFilter}, in the JDK filter syntax, and
 * {@code dev.gil.multiprocess.allowClassPath=true}). Children started after a call get the same list; a child
 * started before it keeps the list it started with, so make these calls before you start processes or pools.
 *
 * <p>Thread-safety: every method may be called from any thread; a decoding that is under way when the list grows
 * sees the old list or the new one.
 */
public final class ClassAllowList {
    private ClassAllowList() {}

    /**
     * Allows (or, after {@code !}, refuses) classes by name, ahead of the defaults. A pattern is a class name, a
     * package followed by {@code .*} (that package) or {@code .**} (and its subpackages), or a name prefix followed
     * by {@code *}; several may be separated by {@code ;}, the first that matches deciding, as in the JDK's
     * {@code ObjectInputFilter.Config.createFilter}.
     *
     * @param patterns such as {@code "com.example.**"} or {@code "!com.example.Unsafe;com.example.**"}
     * @throws IllegalArgumentException if no class pattern is given
     */
    public static void allow(String patterns) {
        Objects.requireNonNull(patterns, "patterns");
        AllowedClasses.addPatterns(patterns);
    }

    /**
     * Allows these classes, by their names.
     *
     * @param classes the classes
     * @throws IllegalArgumentException if a class is an array or primitive type (allow its element class)
     */
    public static void allow(Class<?>... classes) {
        for (Class<?> type : classes) {
            checkArgument(!type.isArray() && !type.isPrimitive(), "allow the element class of %s, not the array",
                    type.getName());
            AllowedClasses.addPatterns(type.getName());
        }
    }

    /** Allows every class that is not the JDK's, whichever jar it comes from: the widest setting. */
    public static void allowClassPath() {
        AllowedClasses.allowClassPath();
    }
}
