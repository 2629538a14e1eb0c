package dev.gil.python;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The seed post's Python code as programs that run on CPython 3 and on Jython 2.7 alike, carried in this module's
 * jar: {@code threads.py} (the post's snippet), {@code cpu_bound.py} (only one CPU works), {@code io_bound.py}
 * (threads do well at I/O), {@code race.py} ({@code c = c + one()} loses updates even under a GIL),
 * {@code phone_booth.py} (how turns are shared: handed round, or grabbed back by whoever just left) and
 * {@code convoy.py} (an I/O thread waits a switch interval for the GIL beside a CPU-bound one).
 *
 * <pre>{@code
 * Path race = SeedPrograms.extract("race.py");
 * int status = PythonRunner.runInChildJvm(race, PythonGil.SWITCH_INTERVAL);
 * }</pre>
 */
public final class SeedPrograms {
    private static final List<String> NAMES = List.of("threads.py", "cpu_bound.py", "io_bound.py", "race.py",
            "phone_booth.py", "convoy.py");

    private SeedPrograms() {}

    /**
     * Returns the programs' file names.
     *
     * @return the names, in the post's order
     */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * Copies a program out of the jar into a new temporary file (deleted when this JVM exits), so that CPython can
     * run it too.
     *
     * @param name one of {@link #names()}
     * @return the file
     * @throws IllegalArgumentException if there is no such program; the message lists them
     * @throws IOException if the file cannot be written
     */
    public static Path extract(String name) throws IOException {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no seed program '" + name + "': there are " + NAMES);
        }
        try (InputStream in = SeedPrograms.class.getResourceAsStream("/dev/gil/python/seed/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the seed program " + name + " is missing from the class path");
            }
            Path directory = Files.createTempDirectory("gil4j-python");
            Path file = directory.resolve(name);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            directory.toFile().deleteOnExit();
            file.toFile().deleteOnExit();
            return file;
        }
    }
}
