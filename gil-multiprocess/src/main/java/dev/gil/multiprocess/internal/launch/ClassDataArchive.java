package dev.gil.multiprocess.internal.launch;

import dev.gil.multiprocess.internal.Properties;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AppCDS archive of the classes a child JVM loads, kept in a cache directory and mapped by every later child with
 * the same JVM, class path and options: their classes (ours, the task's, the JDK's beyond the default archive, and the
 * lambdas the task was made of) are then mapped already parsed and verified instead of read from jars.
 *
 * <p>The first child for a key records the archive as it exits ({@code -XX:ArchiveClassesAtExit}; its exit takes a
 * few hundred milliseconds longer, once per key and machine). It writes to a file of its own that the parent moves
 * into place only once the child exited with status 0, so no child ever maps half an archive, and parents racing to
 * record the same key each write their own file. CDS's own messages are turned off in the child: its output is the
 * task's.
 *
 * <p>Off when the class path holds a directory (CDS refuses them: a JVM asked to archive would not start), when the
 * child's options already say anything about CDS, when the cache directory cannot be made private to this user, or
 * with {@code -Ddev.gil.multiprocess.cds=false}. The directory is {@code -Ddev.gil.multiprocess.cds.dir}, else
 * {@code $XDG_CACHE_HOME/gil4j/cds}, else {@code ~/.cache/gil4j/cds}. It keeps the {@value #KEPT_ARCHIVES} archives
 * used last (a class path that changes makes a new key, and so a new archive, at every build); older ones are removed
 * when a new one is recorded.
 */
public final class ClassDataArchive {
    /** {@code -Ddev.gil.multiprocess.cds=false} turns the archive off. */
    public static final String ENABLED_PROPERTY = "dev.gil.multiprocess.cds";
    /** Where archives are kept, instead of the user's cache directory. */
    public static final String DIRECTORY_PROPERTY = "dev.gil.multiprocess.cds.dir";
    /** How many archives the cache keeps: those used last. */
    static final int KEPT_ARCHIVES = 4;

    /** SLF4J on first use: a program that never hears from us does not start its logging backend for us. */
    private static final class Log {
        static final Logger logger = LoggerFactory.getLogger(ClassDataArchive.class);
    }

    private static final List<String> QUIET = List.of("-Xlog:cds*=off");
    /** Keys a child of this launcher is recording now: one recording per key at a time. */
    private final Set<String> recording = ConcurrentHashMap.newKeySet();
    /** Say it once, not at every child. A benign race: at worst it is said twice. */
    private volatile boolean warnedNotPrivate;

    /** What to add to a child's command line, and what to do once it exited. */
    public record Plan(List<String> options, String key, Path recordingFile, Path archive, Set<String> recording) {
        static final Plan NONE = new Plan(List.of(), null, null, null, Set.of());

        /** Whether this child records the archive: what it loads is what later children find in it. */
        public boolean records() {
            return recordingFile != null;
        }

        /** Moves a finished recording into place, or throws it away. Call once the child has exited. */
        public void childExited(int exitCode) {
            if (recordingFile == null) {
                return;
            }
            try {
                if (exitCode == 0 && Files.isRegularFile(recordingFile) && Files.size(recordingFile) > 0) {
                    move(recordingFile, archive);
                    prune(archive.getParent(), KEPT_ARCHIVES);
                    Log.logger.debug("recorded the class data archive {}", archive);
                } else {
                    Files.deleteIfExists(recordingFile);
                }
            } catch (IOException e) {
                Log.logger.debug("could not keep the class data archive {}", recordingFile, e);
            } finally {
                recording.remove(key);
            }
        }
    }

    /** One per {@link Launcher}: a file recorded by one launcher's child is used by the others' (and other JVMs'). */
    ClassDataArchive() {}

    /**
     * Plans the CDS options of a child JVM started with {@code jvmOptions} and this JVM's class path.
     *
     * @param defaultOptions the options every child gets
     * @param jvmOptions the options this child is given besides
     * @return the options to add (none if the archive is off), and what to do at the child's exit
     */
    public Plan plan(List<String> defaultOptions, List<String> jvmOptions) {
        if (!"true".equals(Properties.get(ENABLED_PROPERTY, "gil4j.cds", "true"))) {
            return Plan.NONE;
        }
        return plan(defaultOptions, jvmOptions, System.getProperty("java.class.path", ""), directory());
    }

    /** {@link #plan(List, List)} for a given class path and cache directory. */
    Plan plan(List<String> defaultOptions, List<String> jvmOptions, String classPath, Path directory) {
        // A Java agent cannot live with an archive being written ("Must enable AllowArchivingWithJavaAgent"), and
        // the classes it transforms would not match an archive's: such a child starts plainly.
        if (classPath.isEmpty() || anyRulesOutAnArchive(jvmOptions)) {
            return Plan.NONE;
        }
        try {
            String key = key(classPath, defaultOptions, jvmOptions);
            if (key == null) {
                return Plan.NONE;
            }
            makePrivate(directory);
            Path archive = directory.resolve(key + ".jsa");
            if (Files.isRegularFile(archive)) {
                Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis())); // used last
                return new Plan(concat(QUIET, "-XX:SharedArchiveFile=" + archive), null, null, null, Set.of());
            }
            if (!recording.add(key)) {
                return Plan.NONE; // another child is recording it: this one runs without
            }
            // Room for the new one now: pruning again once it is recorded would not happen if this JVM exits first,
            // as a short program does right after its child.
            prune(directory, KEPT_ARCHIVES - 1);
            Path file = Files.createTempFile(directory, key + "-", ".recording");
            Files.delete(file); // the JVM creates it; an empty one left behind would only be deleted later
            return new Plan(concat(QUIET, "-XX:ArchiveClassesAtExit=" + file), key, file, archive, recording);
        } catch (IOException | RuntimeException e) {
            Log.logger.debug("class data archive off for this child", e);
            return Plan.NONE;
        }
    }

    /** A loop, not a stream: this runs before a script's first child starts, where each first use costs. */
    private static boolean anyRulesOutAnArchive(List<String> jvmOptions) {
        for (String option : jvmOptions) {
            if (option.startsWith("-Xshare") || option.contains("SharedArchiveFile")
                    || option.contains("ArchiveClassesAtExit") || option.startsWith("-javaagent:")
                    || option.startsWith("-agentlib:") || option.startsWith("-agentpath:")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The archive's name: a hash of the JVM, the class path with each jar's size and time, and the options; or
     * {@code null} if the class path has a directory or a missing entry.
     */
    private static String key(String classPath, List<String> defaultOptions, List<String> jvmOptions)
            throws IOException {
        StringBuilder identity = new StringBuilder()
                .append(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n')
                .append(defaultOptions).append(jvmOptions).append('\n');
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (!Files.isRegularFile(path)) {
                return null;
            }
            identity.append(path).append(' ').append(Files.size(path)).append(' ')
                    .append(Files.getLastModifiedTime(path).toMillis()).append('\n');
        }
        return hash128(identity.toString());
    }

    /**
     * 128 bits of two FNV-1a hashes (different offset bases) of {@code text}'s UTF-8 bytes, as 32 hex digits. Not a
     * digest: the directory is private, and an archive that does not match its JVM or class path is refused by the JVM
     * when it maps it, so a collision would only cost a start without the archive. A {@code MessageDigest} would start
     * the security providers, milliseconds a script's first child would wait for.
     */
    static String hash128(String text) {
        long first = 0xcbf29ce484222325L;
        long second = 0x84222325cbf29ce4L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            first = (first ^ (b & 0xff)) * 0x100000001b3L;
            second = (second ^ (b & 0xff)) * 0x100000001b3L;
        }
        return sixteenHexDigits(first) + sixteenHexDigits(second); // not String.format: it compiles a regex first
    }

    private static String sixteenHexDigits(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }

    /** Creates the cache directory 0700 if missing; refuses it if others may write to it. */
    private void makePrivate(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory.getParent());
            try {
                Files.createDirectory(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // another JVM made it
            }
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)
                || !Files.getOwner(directory).getName().equals(System.getProperty("user.name"))) {
            String problem = directory + " is not private to " + System.getProperty("user.name")
                    + ": an archive there could be replaced by someone else";
            if (!warnedNotPrivate) {
                warnedNotPrivate = true;
                Log.logger.warn("Child JVMs start without a class data archive: {} (make it mode 0700, or set -D{})",
                        problem, DIRECTORY_PROPERTY);
            }
            throw new IOException(problem);
        }
    }

    private static Path directory() {
        String configured = Properties.get(DIRECTORY_PROPERTY, "gil4j.cds.dir", null);
        if (configured != null) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("gil4j").resolve("cds");
    }

    /**
     * Removes all but the {@code keep} archives used last (each use touches its archive), and recordings an hour old
     * (their parent died before it could keep or drop them), quietly.
     */
    static void prune(Path directory, int keep) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> all = files.toList();
            List<Path> archives = all.stream().filter(file -> file.getFileName().toString().endsWith(".jsa"))
                    .sorted(java.util.Comparator.comparing(ClassDataArchive::lastModified).reversed()).toList();
            for (Path old : archives.subList(Math.min(keep, archives.size()), archives.size())) {
                Files.deleteIfExists(old); // a child mapping it keeps its mapping; the next one records anew
            }
            long anHourAgo = System.currentTimeMillis() - java.util.concurrent.TimeUnit.HOURS.toMillis(1);
            for (Path file : all) {
                if (file.getFileName().toString().endsWith(".recording")
                        && lastModified(file).toMillis() < anHourAgo) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            Log.logger.debug("could not prune the class data archives in {}", directory, e);
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Atomically, or not at all: a child must never map an archive that is still being copied. */
    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(from);
            throw e;
        }
    }

    private static List<String> concat(List<String> first, String last) {
        return Stream.concat(first.stream(), Stream.of(last)).toList();
    }
}
