package dev.gil.benchmarks;

import dev.gil.multiprocess.JvmProcess;
import dev.gil.multiprocess.ProcessPool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a user's short program pays, run as a user runs it: a fresh JVM whose {@code main} starts a pool or a child
 * once, timed from the start of {@code main} once its inputs exist (as CPython's peer times {@code Pool(2)} from
 * inside a running interpreter, over a {@code range}). {@link #run} starts such a JVM with the application's classes
 * either in a jar or in a class directory (as an IDE or {@code mvn exec:java} runs them), each library in a jar of its
 * own after them, as a build tool lays out a class path, and reads back what it printed. Run from the benchmarks'
 * shaded jar, the directory and the jars are split out of it; run from class directories (a test), the directories
 * are packed into jars for {@link ClassPath#JAR}.
 */
public final class FreshScript {
    private FreshScript() {}

    /** How the fresh JVM finds the classes. */
    enum ClassPath {
        /** The application's classes (gil4j's and the benchmarks') in a jar, then one jar per library. */
        JAR,
        /** The application's classes in a directory, then one jar per library. */
        CLASS_DIRECTORY
    }

    static int square(int x) {
        return x * x;
    }

    static void nothing() {}

    /**
     * The script. {@code pool}: prints the milliseconds from the start of {@code main}, its inputs built, to a
     * fresh {@code ProcessPool(2)}'s first answer (a map of 100 ints), then, after one warm-up map, the tasks per
     * second of a map over 20,000 ints with the default chunk size and with chunk size 1. {@code process}: prints the
     * milliseconds to start and join a child with an empty target.
     *
     * @param args {@code pool} or {@code process}
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("process")) {
            long start = System.nanoTime();
            JvmProcess child = new JvmProcess(FreshScript::nothing);
            child.start();
            child.join();
            System.out.println((System.nanoTime() - start) / 1e6);
            return;
        }
        // The inputs exist before the clock starts, as CPython's range(100) costs its peer nothing; built by plain
        // loops, so that the script's first lambda is still the one it hands the pool, as a user's would be.
        List<Integer> hundred = integers(100);
        List<Integer> input = integers(PoolScenarios.TASKS);
        long start = System.nanoTime();
        try (ProcessPool pool = ProcessPool.create(PoolScenarios.WORKERS)) {
            check(pool.map(FreshScript::square, hundred).get(99) == 99 * 99);
            double startMillis = (System.nanoTime() - start) / 1e6;
            pool.map(FreshScript::square, input);
            long mapStart = System.nanoTime();
            check(pool.map(FreshScript::square, input).size() == input.size());
            double defaultChunks = input.size() / ((System.nanoTime() - mapStart) / 1e9);
            mapStart = System.nanoTime();
            check(pool.map(FreshScript::square, input, 1).size() == input.size());
            double chunksOfOne = input.size() / ((System.nanoTime() - mapStart) / 1e9);
            System.out.println(startMillis + " " + defaultChunks + " " + chunksOfOne);
        }
    }

    private static List<Integer> integers(int count) {
        List<Integer> integers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            integers.add(i);
        }
        return integers;
    }

    private static void check(boolean condition) {
        if (!condition) {
            throw new IllegalStateException("the pool computed a wrong result");
        }
    }

    /**
     * Runs the script in a fresh JVM and returns the numbers it printed.
     *
     * @throws IllegalStateException if the script failed or printed something else
     */
    static double[] run(ClassPath classPath, String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath(classPath), FreshScript.class.getName(), mode));
        Path printed = Files.createTempFile("gil4j-fresh-script-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(printed.toFile()).start();
            boolean ended = process.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String output = Files.readString(printed).strip();
            if (!ended || process.exitValue() != 0) {
                throw new IllegalStateException("the fresh script (" + mode + ", " + classPath + ") "
                        + (ended ? "failed" : "did not end within 120 s") + ": " + output);
            }
            return numbers(output);
        } finally {
            Files.deleteIfExists(printed);
        }
    }

    private static double[] numbers(String output) {
        String[] lines = output.split("\n");
        String[] numbers = lines[lines.length - 1].trim().split(" ");
        double[] figures = new double[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            figures[i] = Double.parseDouble(numbers[i]);
        }
        return figures;
    }

    private static String classPath(ClassPath kind) throws IOException {
        Path own = ownLocation();
        if (Files.isRegularFile(own)) { // the benchmarks' shaded jar, as `compare` runs
            UserLayout user = userLayout(own);
            List<String> entries = new ArrayList<>();
            entries.add((kind == ClassPath.JAR ? user.applicationJar() : user.classes()).toString());
            user.libraries().forEach(library -> entries.add(library.toString()));
            return String.join(File.pathSeparator, entries);
        }
        // From class directories (a test, an IDE): this JVM's class path, with its directories packed for JAR.
        List<String> entries = new ArrayList<>();
        for (Path entry : classPathEntries()) {
            entries.add(kind == ClassPath.JAR && Files.isDirectory(entry) ? packed(entry).toString() : entry.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path ownLocation() throws IOException {
        try {
            return Path.of(FreshScript.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** This JVM's class path, a manifest-only jar's {@code Class-Path} (as Surefire starts tests) expanded. */
    private static List<Path> classPathEntries() throws IOException {
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            String manifestPath = null;
            if (Files.isRegularFile(path)) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(path.toFile())) {
                    java.util.jar.Manifest manifest = jar.getManifest();
                    manifestPath = manifest == null ? null
                            : manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
                }
            }
            if (manifestPath == null) {
                entries.add(path);
                continue;
            }
            for (String relative : manifestPath.trim().split("\\s+")) {
                try {
                    entries.add(Path.of(path.getParent().toUri().resolve(relative)));
                } catch (IllegalArgumentException notAFile) {
                    // not a local path: the JVM would skip it too
                }
            }
        }
        return entries;
    }

    /**
     * What a user's class path holds, split out of the benchmarks' shaded jar: the application's classes (gil4j's and
     * the benchmarks') as a directory and as a jar, and each library gil-multiprocess needs at run time as a jar of its
     * own. Not the shaded jar itself: its 45,000 entries (Jython, Hazelcast, JMH) cost every JVM that opens it tens of
     * milliseconds that no user of gil-multiprocess pays.
     */
    private record UserLayout(Path classes, Path applicationJar, List<Path> libraries) {}

    /** The libraries gil-multiprocess needs at run time (Guava with failureaccess, SLF4J's API), by package. */
    private static final java.util.Map<String, List<String>> LIBRARIES = java.util.Map.of(
            "guava.jar", List.of("com/google/common/", "com/google/thirdparty/"),
            "slf4j-api.jar", List.of("org/slf4j/"));
    private static final List<String> APPLICATION = List.of("dev/gil/", "bench/");

    private static UserLayout layout;
    private static final java.util.Map<Path, Path> packedDirectories = new java.util.HashMap<>();

    /** The shaded jar split once per run into a temporary directory. */
    private static synchronized UserLayout userLayout(Path shadedJar) throws IOException {
        if (layout != null) {
            return layout;
        }
        Path directory = temporary("gil4j-user-class-path-");
        Path classes = directory.resolve("classes");
        java.util.Map<String, java.util.jar.JarOutputStream> jars = new java.util.LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(shadedJar.toFile())) {
            jars.put("application.jar", newJar(directory.resolve("application.jar")));
            for (String library : LIBRARIES.keySet()) {
                jars.put(library, newJar(directory.resolve(library)));
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                if (startsWithAny(name, APPLICATION)) {
                    unpack(zip, entry, classes);
                    copy(zip, entry, jars.get("application.jar"));
                }
                for (java.util.Map.Entry<String, List<String>> library : LIBRARIES.entrySet()) {
                    if (startsWithAny(name, library.getValue())) {
                        copy(zip, entry, jars.get(library.getKey()));
                    }
                }
            }
        } finally {
            for (java.util.jar.JarOutputStream jar : jars.values()) {
                jar.close();
            }
        }
        List<Path> libraries = new ArrayList<>();
        for (String library : LIBRARIES.keySet()) {
            libraries.add(directory.resolve(library));
        }
        layout = new UserLayout(classes, directory.resolve("application.jar"), libraries);
        return layout;
    }

    private static java.util.jar.JarOutputStream newJar(Path file) throws IOException {
        return new java.util.jar.JarOutputStream(Files.newOutputStream(file));
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        return prefixes.stream().anyMatch(name::startsWith);
    }

    private static void unpack(ZipFile zip, ZipEntry entry, Path directory) throws IOException {
        Path target = directory.resolve(entry.getName()).normalize();
        if (!target.startsWith(directory)) {
            return;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
    }

    private static void copy(ZipFile zip, ZipEntry entry, java.util.jar.JarOutputStream jar) throws IOException {
        jar.putNextEntry(new ZipEntry(entry.getName()));
        try (InputStream in = zip.getInputStream(entry)) {
            in.transferTo(jar);
        }
        jar.closeEntry();
    }

    /** A class directory packed into a jar, once per run. */
    private static synchronized Path packed(Path classes) throws IOException {
        Path known = packedDirectories.get(classes);
        if (known != null) {
            return known;
        }
        Path jar = temporary("gil4j-jar-").resolve("classes.jar");
        try (OutputStream file = Files.newOutputStream(jar);
                java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(file);
                var files = Files.walk(classes)) {
            for (Path path : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new ZipEntry(classes.relativize(path).toString().replace(File.separatorChar, '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
        packedDirectories.put(classes, jar);
        return jar;
    }

    /** A temporary directory removed when this JVM exits. */
    private static Path temporary(String prefix) throws IOException {
        Path directory = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory), "gil4j-bench-cleanup"));
        return directory;
    }

    private static void delete(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it up eventually
        }
    }
}
