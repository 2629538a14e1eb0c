package dev.gil.multiprocess.internal.wire;

import java.io.File;
import java.io.InvalidClassException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which classes may be made from bytes another JVM sent, decided from a class's name and from where its class file
 * lies, before the class is loaded. A class is allowed when, in this order:
 *
 * <ol>
 *   <li>a user's pattern names it ({@value #PATTERNS_PROPERTY}, JDK filter syntax, and
 *       {@code ClassAllowList.allow(..)}): the first pattern that matches decides, and {@code !} refuses;
 *   <li>it is a JDK value type: {@code java.lang} (not its reflection and invocation packages, but
 *       {@code SerializedLambda}), {@code java.util}, {@code java.time}, {@code java.math}, {@code java.net.URI}, the
 *       {@code java.io} exceptions;
 *   <li>it is gil4j's own ({@code dev.gil.}), such as a {@code ChildException} or a {@code Connection};
 *   <li>it is the application's own: its class file is a file in a directory (as IDEs, Maven and Gradle run the
 *       application's classes), or lies in the jar the JVM's main class came from ({@code java -jar app.jar}), or in
 *       a jar listed in {@value #APPLICATION_JARS_PROPERTY};
 *   <li>{@value #CLASS_PATH_PROPERTY} is {@code true} ({@code ClassAllowList.allowClassPath()}) and it is not the
 *       JDK's.
 * </ol>
 *
 * <p>Everything else is refused: the rest of the JDK ({@code javax.*}, {@code sun.*}, {@code jdk.*},
 * {@code com.sun.*}, other {@code java.*}) and the libraries' jars, where deserialization gadgets live. Children are
 * started with this JVM's settings ({@link #sameAsOurs()}), so both ends decide alike.
 */
public final class AllowedClasses {
    /** Patterns in the JDK's filter syntax, such as {@code "com.example.**;!com.example.Unsafe"}. */
    public static final String PATTERNS_PROPERTY = "dev.gil.multiprocess.serialFilter";
    /** More jars whose classes are the application's, separated by the platform's path separator. */
    public static final String APPLICATION_JARS_PROPERTY = "dev.gil.multiprocess.applicationJars";
    /** {@code true} allows every class that is not the JDK's, as gil4j 0.1 did. */
    public static final String CLASS_PATH_PROPERTY = "dev.gil.multiprocess.allowClassPath";

    /** Decisions are cached for this many class names; a stream of made-up names cannot grow the cache further. */
    private static final int MAX_CACHED = 4096;

    private static final List<String> addedPatterns = new CopyOnWriteArrayList<>();
    private static final Set<String> applicationJars = ConcurrentHashMap.newKeySet();
    private static final ConcurrentHashMap<String, Boolean> decided = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Class<?>> loaded = new ConcurrentHashMap<>();
    private static volatile List<NamePattern> patterns = NamePattern.parse(System.getProperty(PATTERNS_PROPERTY));
    private static volatile boolean wholeClassPath = Boolean.getBoolean(CLASS_PATH_PROPERTY);
    /** Counts the changes to the list, so that a decision made under an old one is not remembered. */
    private static volatile int generation;

    static {
        String listed = System.getProperty(APPLICATION_JARS_PROPERTY, "");
        for (String jar : listed.split(File.pathSeparator)) {
            if (!jar.isBlank()) {
                applicationJars.add(Path.of(jar).toAbsolutePath().normalize().toString());
            }
        }
        String mainJar = mainJar();
        if (mainJar != null) {
            applicationJars.add(mainJar);
        }
    }

    private AllowedClasses() {}

    /**
     * Whether the class of this binary name (an array's element class for an array) may be made from bytes. Decisions
     * are remembered for the application class loader only: another loader (a plugin's, a web application's) may find
     * the same name in another place.
     */
    public static boolean allowed(String className) {
        boolean cacheable = contextLoader() == ClassLoader.getSystemClassLoader();
        Boolean known = cacheable ? decided.get(className) : null;
        if (known != null) {
            return known;
        }
        int generationDecided = generation;
        boolean allowed = decide(className);
        if (cacheable && decided.size() < MAX_CACHED) {
            decided.put(className, allowed);
            if (generation != generationDecided) {
                decided.remove(className); // the list changed meanwhile: this decision may be the old list's
            }
        }
        return allowed;
    }

    /**
     * Whether a class that is already here may be made from bytes: by its name, or, for a lambda (a hidden class that
     * deserialization makes through its capturing class's {@code $deserializeLambda$}), by its capturing class's.
     */
    public static boolean allowed(Class<?> type) {
        return allowed(type.isHidden() ? type.getNestHost().getName() : type.getName());
    }

    /**
     * Refuses a class that is not allowed, before it is loaded.
     *
     * @throws InvalidClassException naming the class and the setting that would allow it
     * @throws ClassNotFoundException if there is no such class here to allow or refuse
     */
    public static void check(String className) throws InvalidClassException, ClassNotFoundException {
        if (!allowed(className)) {
            if (classFile(className) == null) {
                throw new ClassNotFoundException(className);
            }
            throw rejected(className);
        }
    }

    private static URL classFile(String className) {
        // String.concat, not +: a fresh child would link an invokedynamic for it on its first packed record
        return contextLoader().getResource(className.replace('.', '/').concat(".class"));
    }

    /**
     * The class of an allowed name, as the context loader finds it; for the application class loader, remembered
     * (a packed record names its class in every message).
     */
    static Class<?> load(String className) throws ClassNotFoundException {
        ClassLoader loader = contextLoader();
        if (loader != ClassLoader.getSystemClassLoader()) {
            return Class.forName(className, false, loader);
        }
        Class<?> known = loaded.get(className);
        if (known == null) {
            known = Class.forName(className, false, loader);
            if (loaded.size() < MAX_CACHED) {
                loaded.put(className, known);
            }
        }
        return known;
    }

    /** The loader classes are resolved with: the thread's context loader, else this library's. */
    static ClassLoader contextLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : AllowedClasses.class.getClassLoader();
    }

    /** The exception for a class refused, naming what would allow it. */
    public static InvalidClassException rejected(String what) {
        return new InvalidClassException(what, "rejected by gil4j's deserialization filter, whose allow-list admits JDK"
                + " value types and the application's own classes (class directories and the main jar): allow it with"
                + " ClassAllowList.allow(..) before starting children, or the system property " + PATTERNS_PROPERTY);
    }

    /** Adds patterns (JDK filter syntax) after those already given; children started from now on get them too. */
    public static synchronized void addPatterns(String more) {
        List<NamePattern> parsed = NamePattern.parse(more);
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("no class pattern in \"" + more + "\": expected a class name, "
                    + "a package followed by .* or .**, or one of them after ! to refuse");
        }
        addedPatterns.add(more);
        List<NamePattern> all = new ArrayList<>(patterns);
        all.addAll(parsed);
        patterns = List.copyOf(all);
        changed();
    }

    /** Allows every class that is not the JDK's, in this JVM and in children started from now on. */
    public static synchronized void allowClassPath() {
        wholeClassPath = true;
        changed();
    }

    /** Finds one class file the way a task's class is found, so that a child prepared ahead does not pay it later. */
    public static void prepare() {
        isApplicationClass(AllowedClasses.class.getName());
    }

    /** Forgets every pattern and setting added since this JVM started: for tests. */
    @com.google.common.annotations.VisibleForTesting
    static synchronized void reset() {
        addedPatterns.clear();
        patterns = NamePattern.parse(System.getProperty(PATTERNS_PROPERTY));
        wholeClassPath = Boolean.getBoolean(CLASS_PATH_PROPERTY);
        changed();
    }

    private static void changed() {
        generation++; // before clearing: a decision put after the clear sees it and removes itself
        decided.clear(); // a warm standby told the old settings is not taken (WarmStandby checks)
    }

    /** The options that give a child JVM this JVM's allow-list. */
    public static List<String> sameAsOurs() {
        List<String> options = new ArrayList<>();
        List<String> allPatterns = new ArrayList<>();
        String ours = System.getProperty(PATTERNS_PROPERTY);
        if (ours != null && !ours.isBlank()) {
            allPatterns.add(ours);
        }
        allPatterns.addAll(addedPatterns);
        if (!allPatterns.isEmpty()) {
            options.add("-D" + PATTERNS_PROPERTY + "=" + String.join(";", allPatterns));
        }
        if (!applicationJars.isEmpty()) {
            options.add("-D" + APPLICATION_JARS_PROPERTY + "=" + String.join(File.pathSeparator, applicationJars));
        }
        if (wholeClassPath) {
            options.add("-D" + CLASS_PATH_PROPERTY + "=true");
        }
        return options;
    }

    private static boolean decide(String name) {
        for (NamePattern pattern : patterns) {
            if (pattern.matches(name)) {
                return pattern.allows();
            }
        }
        if (name.startsWith("java.lang.") || name.startsWith("java.util.") || name.startsWith("java.time.")
                || name.startsWith("java.math.") || name.equals("java.net.URI")) {
            return !name.startsWith("java.lang.reflect.") && !name.startsWith("java.lang.invoke.")
                    || name.equals("java.lang.invoke.SerializedLambda");
        }
        if (name.startsWith("java.io.")) {
            return name.endsWith("Exception") || name.endsWith("Error");
        }
        if (isJdk(name)) {
            return false;
        }
        return name.startsWith("dev.gil.") || wholeClassPath || isApplicationClass(name);
    }

    private static boolean isJdk(String name) {
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun.") || name.startsWith("org.w3c.")
                || name.startsWith("org.xml.") || name.startsWith("org.ietf.");
    }

    /** Where the class file lies, found without loading the class: a directory, or an application jar. */
    private static boolean isApplicationClass(String name) {
        URL where = classFile(name);
        if (where == null) {
            return false;
        }
        if (where.getProtocol().equals("file")) {
            return true;
        }
        String jar = jarOf(where);
        return jar != null && applicationJars.contains(jar);
    }

    /** The jar's normalised path for a {@code jar:file:/path!/entry} URL, else {@code null}. */
    private static String jarOf(URL where) {
        String spec = where.toString();
        int bang = spec.indexOf("!/");
        if (!where.getProtocol().equals("jar") || !spec.startsWith("jar:file:") || bang < 0) {
            return null;
        }
        String path = spec.substring("jar:file:".length(), bang);
        if (File.separatorChar == '/' && path.indexOf('%') < 0 && path.indexOf("/.") < 0) {
            return path; // already absolute and normal, as the class loader made it: no URI parsing in a fresh child
        }
        try {
            return Path.of(new URL(spec.substring(4, bang)).toURI()).toAbsolutePath().normalize().toString();
        } catch (java.net.MalformedURLException | java.net.URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The jar the JVM's main class came from: the one {@code java -jar} ran, or the one holding the main class. A
     * child's own main class is gil4j's; its parent tells it the application's jars instead.
     */
    private static String mainJar() {
        String command = System.getProperty("sun.java.command", "").strip();
        if (command.isEmpty() || command.startsWith("dev.gil.multiprocess.internal.child.ChildMain")) {
            return null;
        }
        String first = command.split(" ", 2)[0];
        if (first.endsWith(".jar")) {
            return Path.of(first).toAbsolutePath().normalize().toString();
        }
        URL where = ClassLoader.getSystemClassLoader().getResource(first.replace('.', '/').concat(".class"));
        return where == null ? null : jarOf(where);
    }

    /** One entry of a JDK filter pattern, as far as it names classes: limits such as {@code maxdepth=} are not. */
    record NamePattern(String text, boolean allows, Kind kind) {
        enum Kind { EXACT, PACKAGE, SUBPACKAGES, PREFIX, ANY }

        static List<NamePattern> parse(String patterns) {
            if (patterns == null) {
                return List.of();
            }
            List<NamePattern> parsed = new ArrayList<>(); // not a set: a record's hashCode links an invokedynamic
            for (String entry : patterns.split(";")) {
                String pattern = entry.strip();
                if (pattern.isEmpty() || pattern.contains("=")) {
                    continue;
                }
                boolean allows = !pattern.startsWith("!");
                pattern = allows ? pattern : pattern.substring(1);
                int module = pattern.indexOf('/');
                pattern = module < 0 ? pattern : pattern.substring(module + 1);
                if (pattern.equals("*") || pattern.equals("**")) {
                    parsed.add(new NamePattern("", allows, Kind.ANY));
                } else if (pattern.endsWith(".**")) {
                    parsed.add(new NamePattern(pattern.substring(0, pattern.length() - 2), allows, Kind.SUBPACKAGES));
                } else if (pattern.endsWith(".*")) {
                    parsed.add(new NamePattern(pattern.substring(0, pattern.length() - 1), allows, Kind.PACKAGE));
                } else if (pattern.endsWith("*")) {
                    parsed.add(new NamePattern(pattern.substring(0, pattern.length() - 1), allows, Kind.PREFIX));
                } else if (!pattern.isEmpty()) {
                    parsed.add(new NamePattern(pattern, allows, Kind.EXACT));
                }
            }
            return List.copyOf(parsed);
        }

        boolean matches(String name) {
            return switch (kind) {
                case ANY -> true;
                case EXACT -> name.equals(text);
                case PREFIX, SUBPACKAGES -> name.startsWith(text);
                case PACKAGE -> name.startsWith(text) && name.indexOf('.', text.length()) < 0;
            };
        }
    }
}
