package dev.gil.agent.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which classes the agent instruments, and how: polls go into those matching an include pattern and no exclude pattern;
 * blocking calls are released around in those matching a {@code blocking} pattern and no exclude pattern; never the
 * JDK's or gil4j's own. A pattern is a class name ({@code com.example.Parser}) or a package with everything under it
 * ({@code com.example.*}). Remembers which include and blocking patterns matched something, to warn about those that
 * never did.
 */
public final class ClassFilter {
    private static final List<String> NEVER = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.gil.",
            "org.objectweb.asm.", "org.slf4j.", "ch.qos.logback.");

    private final List<String> includes;
    private final List<String> excludes;
    private final List<String> blocking;
    private final Set<String> matched = ConcurrentHashMap.newKeySet();

    public ClassFilter(List<String> includes, List<String> excludes) {
        this(includes, excludes, List.of());
    }

    public ClassFilter(List<String> includes, List<String> excludes, List<String> blocking) {
        if (includes.isEmpty() && blocking.isEmpty()) {
            throw new IllegalArgumentException("the gil4j agent needs at least one include pattern, such as "
                    + "include=com.example.*; it never instruments every class");
        }
        List<String> selecting = new ArrayList<>(includes);
        selecting.addAll(blocking);
        for (String pattern : selecting) {
            for (String never : NEVER) {
                if (pattern.startsWith(never) || never.startsWith(prefixOf(pattern))) {
                    throw new IllegalArgumentException("include pattern '" + pattern + "' covers classes the agent "
                            + "never instruments (" + never + "*): the JDK's, gil4j's and the agent's own");
                }
            }
        }
        this.includes = List.copyOf(includes);
        this.excludes = List.copyOf(excludes);
        this.blocking = List.copyOf(blocking);
    }

    /**
     * Parses the agent's argument: {@code include=a.b.*,c.D;exclude=a.b.internal.*;blocking=a.b.*}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ClassFilter parse(String arguments) {
        List<String> includes = new ArrayList<>();
        List<String> excludes = new ArrayList<>();
        List<String> blocking = new ArrayList<>();
        if (arguments != null && !arguments.isBlank()) {
            for (String part : arguments.split(";")) {
                int equals = part.indexOf('=');
                String key = equals < 0 ? "" : part.substring(0, equals).trim();
                if (!key.equals("include") && !key.equals("exclude") && !key.equals("blocking")) {
                    throw new IllegalArgumentException("gil4j agent argument '" + part + "' is not include=..., "
                            + "exclude=... or blocking=... (the whole argument was '" + arguments + "')");
                }
                for (String pattern : part.substring(equals + 1).split(",")) {
                    String trimmed = pattern.trim();
                    if (!trimmed.matches("[\\p{javaJavaIdentifierPart}.$]+(\\.\\*)?")) {
                        throw new IllegalArgumentException("gil4j agent pattern '" + trimmed + "' is not a class name "
                                + "or a package followed by .*");
                    }
                    (key.equals("include") ? includes : key.equals("exclude") ? excludes : blocking).add(trimmed);
                }
            }
        }
        return new ClassFilter(includes, excludes, blocking);
    }

    /** Whether to put polls into the class with this binary name ({@code com.example.Parser$Inner}). */
    public boolean accepts(String className) {
        return selects(includes, className);
    }

    /** Whether to release the lock around the blocking calls of the class with this binary name. */
    public boolean releasesAroundBlocking(String className) {
        return selects(blocking, className);
    }

    private boolean selects(List<String> patterns, String className) {
        if (patterns.isEmpty()) {
            return false;
        }
        for (String never : NEVER) {
            if (className.startsWith(never)) {
                return false;
            }
        }
        for (String pattern : excludes) {
            if (matches(pattern, className)) {
                return false;
            }
        }
        for (String pattern : patterns) {
            if (matches(pattern, className)) {
                matched.add(pattern);
                return true;
            }
        }
        return false;
    }

    /** The include and blocking patterns that matched no class so far. */
    public List<String> unmatchedIncludes() {
        List<String> unmatched = new ArrayList<>();
        List<String> selecting = new ArrayList<>(includes);
        selecting.addAll(blocking);
        for (String pattern : selecting) {
            if (!matched.contains(pattern)) {
                unmatched.add(pattern);
            }
        }
        return unmatched;
    }

    private static boolean matches(String pattern, String className) {
        return pattern.endsWith(".*") ? className.startsWith(prefixOf(pattern)) : className.equals(pattern);
    }

    private static String prefixOf(String pattern) {
        return pattern.endsWith(".*") ? pattern.substring(0, pattern.length() - 1) : pattern;
    }

    @Override
    public String toString() {
        return "include=" + String.join(",", includes) + (excludes.isEmpty() ? "" : ";exclude="
                + String.join(",", excludes)) + (blocking.isEmpty() ? "" : ";blocking=" + String.join(",", blocking));
    }
}
