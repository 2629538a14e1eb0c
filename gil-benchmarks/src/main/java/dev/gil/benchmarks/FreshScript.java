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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a user's short program pays, run as a user runs it: a fresh JVM whose {@code main} starts a pool or a child
 * once, timed from the start of {@code main} (as CPython's peer times {@code Pool(2)} from inside a running
 * interpreter). {@link #run} starts such a JVM with the application's classes either in a jar (as {@code java -jar}
 * runs them) or in a class directory with the libraries in a jar beside it (as an IDE or {@code mvn exec:java} runs
 * them), and reads back what it printed. Run from the benchmarks' jar, the directory is unpacked from it; run from
 * class directories (a test), the jar is packed from them.
 */
public final class FreshScript {
    private FreshScript() {}

    /** How the fresh JVM finds the classes. */
    enum ClassPath {
        /** The benchmarks' shaded jar alone. */
        JAR,
        /** gil4j's and the benchmarks' classes in a directory, the libraries in the shaded jar after it. */
        CLASS_DIRECTORY
    }

    static int square(int x) {
        return x * x;
    }

    static void nothing() {}

    /**
     * The script. {@code pool}: prints the milliseconds from the start of {@code main} to a fresh
     * {@code ProcessPool(2)}'s first answer (a map of 100 ints), then, after one warm-up map, the tasks per second of
     * a map over 20,000 ints with the default chunk size and with chunk size 1. {@code process}: prints the
     * milliseconds to start and join a child with an empty target.
     *
     * @param args {@code pool} or {@code process}
     */
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        if (args[0].equals("process")) {
            JvmProcess child = new JvmProcess(FreshScript::nothing);
            child.start();
            child.join();
            System.out.println((System.nanoTime() - start) / 1e6);
            return;
        }
        List<Integer> hundred = IntStream.range(0, 100).boxed().collect(Collectors.toList());
        List<Integer> input = IntStream.range(0, PoolScenarios.TASKS).boxed().collect(Collectors.toList());
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
        if (Files.isRegularFile(own)) { // the benchmarks' jar, as `compare` runs
            return kind == ClassPath.JAR ? own.toString() : unpacked(own) + File.pathSeparator + own;
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

    private static Path extracted;
    private static final java.util.Map<Path, Path> packedDirectories = new java.util.HashMap<>();

    /** gil4j's and the benchmarks' classes, unpacked once per run into a temporary directory. */
    private static synchronized Path unpacked(Path jar) throws IOException {
        if (extracted != null) {
            return extracted;
        }
        Path directory = temporary("gil4j-classes-");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !(name.startsWith("dev/gil/") || name.startsWith("bench/"))) {
                    continue;
                }
                Path target = directory.resolve(name).normalize();
                if (!target.startsWith(directory)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
                    in.transferTo(out);
                }
            }
        }
        extracted = directory;
        return directory;
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
