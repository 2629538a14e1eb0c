package dev.gil.benchmarks;

import dev.gil.core.GlobalInterpreterLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Many threads under one lock, each blocking with the lock released: {@code threads} threads each run
 * {@code allowThreads(() -> Thread.sleep(10))} four times, made by {@link GlobalInterpreterLock#virtualThreadFactory()}
 * and by {@link GlobalInterpreterLock#threadFactory()} (platform {@code GilThread}s). The figure is the time from the
 * first start to the last join.
 *
 * <p>Virtual threads need JDK 21. When {@code compare} runs on an older JDK it runs this class's {@link #main} in a
 * child JVM of the newest JDK 21+ it finds ({@code GIL4J_JDK21_HOME}, then {@code /usr/lib/jvm} and
 * {@code /opt/java}); with none, the rows say so.
 */
final class VirtualThreadRounds {
    static final int SLEEPS = 4;
    static final long SLEEP_MILLIS = 10;

    private VirtualThreadRounds() {}

    /** Milliseconds of one run with threads from {@code factory}. */
    static double millis(GlobalInterpreterLock gil, ThreadFactory factory, int threads) throws InterruptedException {
        List<Thread> started = new ArrayList<>(threads);
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Thread thread = factory.newThread(() -> {
                try {
                    for (int s = 0; s < SLEEPS; s++) {
                        gil.allowThreads(() -> Thread.sleep(SLEEP_MILLIS));
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted in a measured sleep", e);
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /**
     * Prints {@code virtual <ms>} and {@code platform <ms>} lines, {@code reps} of each, alternating, after one
     * unmeasured run of each.
     *
     * @param args the thread count and the repetitions
     */
    public static void main(String[] args) throws InterruptedException {
        int threads = Integer.parseInt(args[0]);
        int reps = Integer.parseInt(args[1]);
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("vthreads").build();
        millis(gil, gil.virtualThreadFactory(), threads);
        millis(gil, gil.threadFactory(), threads);
        for (int r = 0; r < reps; r++) {
            System.out.printf(Locale.ROOT, "virtual %.3f%n", millis(gil, gil.virtualThreadFactory(), threads));
            System.out.printf(Locale.ROOT, "platform %.3f%n", millis(gil, gil.threadFactory(), threads));
        }
    }

    /**
     * Runs {@link #main} here on JDK 21+, else in a child JVM of a JDK 21+ found on this machine.
     *
     * @return the samples, or {@code null} with no JDK 21+ anywhere
     */
    static Samples[] measure(int threads, int reps) throws IOException, InterruptedException {
        Path java = Runtime.version().feature() >= 21
                ? Path.of(System.getProperty("java.home"), "bin", "java") : findJdk21();
        if (java == null) {
            return null;
        }
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                VirtualThreadRounds.class.getName(), Integer.toString(threads), Integer.toString(reps))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Samples virtual = new Samples(reps);
        Samples platform = new Samples(reps);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null;) {
                String[] parts = line.split(" ");
                (parts[0].equals("virtual") ? virtual : platform).add(Double.parseDouble(parts[1]));
            }
        } finally {
            if (!child.waitFor(5, TimeUnit.MINUTES)) {
                child.destroyForcibly();
            }
        }
        if (child.exitValue() != 0) {
            throw new IOException("the virtual-thread run on " + java + " exited with " + child.exitValue());
        }
        return new Samples[] {virtual, platform};
    }

    /** The {@code java} launcher of the newest JDK 21+ found, or {@code null}. */
    static Path findJdk21() throws IOException {
        List<Path> homes = new ArrayList<>();
        String configured = System.getenv("GIL4J_JDK21_HOME");
        if (configured != null) {
            homes.add(Path.of(configured));
        }
        for (String root : List.of("/usr/lib/jvm", "/opt/java", "/Library/Java/JavaVirtualMachines")) {
            Path dir = Path.of(root);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    entries.sorted().forEach(home -> {
                        homes.add(home);
                        homes.add(home.resolve("Contents/Home"));
                    });
                }
            }
        }
        Path best = null;
        int bestFeature = 20;
        for (Path home : homes) {
            Path java = home.resolve("bin/java");
            int feature = featureOf(home.resolve("release"));
            if (Files.isExecutable(java) && feature > bestFeature) {
                best = java;
                bestFeature = feature;
            }
        }
        return best;
    }

    /** The feature version in a JDK's {@code release} file ({@code JAVA_VERSION="25.0.1"}), or 0. */
    private static int featureOf(Path release) throws IOException {
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
            if (line.startsWith("JAVA_VERSION=")) {
                String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                String feature = version.split("[.+-]")[0];
                return feature.matches("\\d+") ? Integer.parseInt(feature) : 0;
            }
        }
        return 0;
    }
}
