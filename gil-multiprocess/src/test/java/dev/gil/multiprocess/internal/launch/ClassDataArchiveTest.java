package dev.gil.multiprocess.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {
    private final ClassDataArchive archive = new ClassDataArchive();

    private static final List<String> DEFAULTS = List.of("-Xshare:auto");

    @TempDir
    Path temp;

    private String jars(String... names) throws IOException {
        StringBuilder classPath = new StringBuilder();
        for (String name : names) {
            Path jar = temp.resolve(name);
            if (!Files.exists(jar)) {
                Files.write(jar, new byte[] {'P', 'K', 5, 6});
            }
            classPath.append(classPath.length() == 0 ? "" : ":").append(jar);
        }
        return classPath.toString();
    }

    @Test
    void anArchivesNameIs128BitsOfItsIdentityStableAndDifferentForEachIdentity() {
        String name = ClassDataArchive.hash128("/usr/lib/jvm/17\n17.0.15\n[-XX:+UseSerialGC][]\n/app.jar 10 1\n");
        assertThat(name).matches("[0-9a-f]{32}")
                .isEqualTo(ClassDataArchive.hash128("/usr/lib/jvm/17\n17.0.15\n[-XX:+UseSerialGC][]\n/app.jar 10 1\n"));
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            names.add(ClassDataArchive.hash128("/app.jar " + i + " 1700000000000"));
        }
        assertThat(names).hasSize(10_000);
        assertThat(ClassDataArchive.hash128("")).matches("[0-9a-f]{32}");
    }

    @Test
    void theFirstChildRecordsTheArchiveTheParentKeepsItAndLaterChildrenMapIt() throws Exception {
        Path cache = temp.resolve("cds");
        String classPath = jars("app.jar", "lib.jar");

        ClassDataArchive.Plan first = archive.plan(DEFAULTS, List.of(), classPath, cache);
        assertThat(first.options()).contains("-Xlog:cds*=off")
                .anySatisfy(option -> assertThat(option).startsWith("-XX:ArchiveClassesAtExit=" + cache));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
        assertThat(archive.plan(DEFAULTS, List.of(), classPath, cache).options())
                .as("one recording at a time: a second child meanwhile runs without").isEmpty();

        Files.write(first.recordingFile(), new byte[] {1, 2, 3}); // what the child's JVM writes at its exit
        first.childExited(0);
        assertThat(first.archive()).exists();
        assertThat(first.recordingFile()).doesNotExist();

        ClassDataArchive.Plan later = archive.plan(DEFAULTS, List.of(), classPath, cache);
        assertThat(later.options()).containsExactly("-Xlog:cds*=off", "-XX:SharedArchiveFile=" + first.archive());
        later.childExited(0); // nothing to do
        assertThat(first.archive()).exists();
    }

    @Test
    void aChildThatFailsLeavesNoArchiveAndTheNextOneRecordsAgain() throws Exception {
        Path cache = temp.resolve("cds");
        String classPath = jars("app.jar");
        ClassDataArchive.Plan failed = archive.plan(DEFAULTS, List.of(), classPath, cache);
        Files.write(failed.recordingFile(), new byte[] {1});
        failed.childExited(1);
        assertThat(failed.archive()).doesNotExist();
        assertThat(failed.recordingFile()).doesNotExist();

        ClassDataArchive.Plan again = archive.plan(DEFAULTS, List.of(), classPath, cache);
        assertThat(again.recordingFile()).isNotNull();
        again.childExited(137); // killed before it wrote anything
        assertThat(again.archive()).doesNotExist();
    }

    @Test
    void aChangedJarOrOtherOptionsGetTheirOwnArchive() throws Exception {
        Path cache = temp.resolve("cds");
        String classPath = jars("app.jar");
        ClassDataArchive.Plan plain = archive.plan(DEFAULTS, List.of(), classPath, cache);
        ClassDataArchive.Plan withOption = archive.plan(DEFAULTS, List.of("-Xmx64m"), classPath, cache);
        Files.setLastModifiedTime(temp.resolve("app.jar"), FileTime.fromMillis(1_000));
        ClassDataArchive.Plan rebuilt = archive.plan(DEFAULTS, List.of(), classPath, cache);
        assertThat(List.of(plain.archive(), withOption.archive(), rebuilt.archive())).doesNotHaveDuplicates();
        for (ClassDataArchive.Plan plan : List.of(plain, withOption, rebuilt)) {
            plan.childExited(1);
        }
    }

    @Test
    void offForDirectoriesOnTheClassPathForOwnCdsOptionsAndForADirectoryOthersMayWrite() throws Exception {
        Path cache = temp.resolve("cds");
        Path classes = Files.createDirectory(temp.resolve("classes"));
        Files.write(classes.resolve("A.class"), new byte[] {1});
        assertThat(archive.plan(DEFAULTS, List.of(), jars("app.jar") + ":" + classes, cache).options())
                .as("CDS refuses a non-empty directory on the class path").isEmpty();
        assertThat(archive.plan(DEFAULTS, List.of(), jars("app.jar") + ":" + temp.resolve("gone.jar"),
                cache).options()).isEmpty();
        assertThat(archive.plan(DEFAULTS, List.of("-Xshare:off"), jars("app.jar"), cache).options())
                .isEmpty();
        assertThat(archive.plan(DEFAULTS, List.of("-XX:SharedArchiveFile=/x.jsa"), jars("app.jar"),
                cache).options()).isEmpty();
        assertThat(archive.plan(DEFAULTS, List.of("-javaagent:/gil-agent.jar=include=com.x.*"),
                jars("app.jar"), cache).options()).as("an agent and an archive being written cannot go together")
                .isEmpty();

        Path shared = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(archive.plan(DEFAULTS, List.of(), jars("app.jar"), shared).options())
                .as("an archive others could replace would run their code").isEmpty();
    }

    @Test
    void theCacheKeepsTheArchivesUsedLastAndRemovesTheRest() throws Exception {
        Path cache = Files.createDirectory(temp.resolve("pruned"));
        for (int i = 0; i < 7; i++) {
            Path archive = Files.write(cache.resolve("key" + i + ".jsa"), new byte[] {1});
            Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        Files.write(cache.resolve("not-an-archive.txt"), new byte[] {1});
        ClassDataArchive.prune(cache, ClassDataArchive.KEPT_ARCHIVES);
        try (java.util.stream.Stream<Path> left = Files.list(cache)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("key3.jsa", "key4.jsa", "key5.jsa", "key6.jsa", "not-an-archive.txt");
        }
    }

    @Test
    void aNewRecordingMakesRoomFirstSoTheCacheStaysBoundedWhenItsParentExitsAtOnce() throws Exception {
        Path cache = Files.createDirectory(temp.resolve("bounded"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        for (int i = 0; i < 7; i++) {
            Files.write(cache.resolve("key" + i + ".jsa"), new byte[] {1});
        }
        Path stale = Files.write(cache.resolve("old-1.recording"), new byte[] {1});
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(0));
        Path fresh = Files.write(cache.resolve("new-1.recording"), new byte[] {1});
        ClassDataArchive.Plan plan = archive.plan(DEFAULTS, List.of(), jars("app.jar"), cache);
        assertThat(plan.records()).isTrue();
        try (java.util.stream.Stream<Path> left = Files.list(cache)) {
            assertThat(left.filter(path -> path.toString().endsWith(".jsa")).count())
                    .isEqualTo(ClassDataArchive.KEPT_ARCHIVES - 1);
        }
        assertThat(stale).as("a recording an hour old: its parent died").doesNotExist();
        assertThat(fresh).as("perhaps being written now").exists();
        plan.childExited(1);
    }
}
