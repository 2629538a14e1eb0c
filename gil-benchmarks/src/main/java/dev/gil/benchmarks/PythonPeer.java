package dev.gil.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the CPython peer benchmark ({@code gil-benchmarks/src/main/python/gil_peer.py}, carried inside this module's
 * jar) in the same run as ours, and reads the medians from its JSON lines. Absent {@code python3} or script:
 * {@link #available()} says so, and the report shows "n/a" with the reason.
 */
final class PythonPeer {
    private static final String BUNDLED = "/dev/gil/benchmarks/python/gil_peer.py";

    private static final Pattern NAME = Pattern.compile("\"name\": \"([^\"]+)\"");
    private static final Pattern MEDIAN = Pattern.compile("\"median\": ([-0-9.eE+]+)");

    private final Path script;
    private final String unavailableReason;

    PythonPeer(Path script) {
        this.script = script;
        this.unavailableReason = probe(script);
    }

    /**
     * The peer this module carries: copied out of the class path into a temporary file, so that it runs the same from
     * the jar, from class directories, and from any working directory.
     */
    static PythonPeer bundled() {
        try (InputStream in = PythonPeer.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                return new PythonPeer(Path.of("gil_peer.py (not on the class path: " + BUNDLED + ")"));
            }
            Path script = Files.createTempFile("gil_peer", ".py");
            script.toFile().deleteOnExit();
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            return new PythonPeer(script);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the CPython peer out of the class path", e);
        }
    }

    boolean available() {
        return unavailableReason == null;
    }

    String unavailableReason() {
        return unavailableReason;
    }

    /** Runs {@code python3 gil_peer.py args...} and returns each figure's median by name. */
    Map<String, Double> run(String... args) throws IOException, InterruptedException {
        Map<String, Double> medians = new HashMap<>();
        if (!available()) {
            return medians;
        }
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                Matcher name = NAME.matcher(line);
                Matcher median = MEDIAN.matcher(line);
                if (name.find() && median.find()) {
                    medians.put(name.group(1), Double.parseDouble(median.group(1)));
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("the CPython peer did not finish in 10 minutes: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("the CPython peer failed with exit code " + process.exitValue() + ": " + command);
        }
        return medians;
    }

    private static String probe(Path script) {
        if (!Files.isRegularFile(script)) {
            return "no CPython peer script at " + script.toAbsolutePath();
        }
        try {
            Process version = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor() == 0 ? null : "python3 --version failed";
        } catch (IOException | InterruptedException e) {
            return "python3 is not available: " + e.getMessage();
        }
    }
}
