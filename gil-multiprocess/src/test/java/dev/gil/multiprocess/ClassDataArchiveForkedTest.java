package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class data archive with real JVMs: a parent whose class path is all jars (as in production; Maven's test class
 * path has directories, which CDS refuses) records an archive with its first child and maps it in the second, starts a
 * third with a Java agent (which cannot live with an archive) plainly, and no CDS message reaches the output.
 */
class ClassDataArchiveForkedTest {
    @TempDir
    Path temp;

    @Test
    void theFirstChildRecordsTheArchiveAndTheSecondMapsItSilently() throws Exception {
        Path cache = temp.resolve("cds");
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path jar = temp.resolve("classes-" + classPath.size() + ".jar");
                packInto(path, jar);
                classPath.add(jar.toString());
            } else if (Files.isRegularFile(path)) {
                classPath.add(entry);
            }
        }
        Path agent = temp.resolve("agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", NoOpAgent.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(agent), manifest)) {
            String entry = NoOpAgent.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(entry));
            try (var in = NoOpAgent.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(out);
            }
        }
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Ddev.gil.multiprocess.cds.dir=" + cache, "-cp", String.join(File.pathSeparator, classPath),
                CdsParent.class.getName(), cache.toString(), agent.toString()).redirectErrorStream(true).start();
        parent.getOutputStream().close();
        String output = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(parent.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(parent.exitValue()).as(output).isZero();

        List<String> lines = output.lines().filter(line -> line.startsWith("child ")).toList();
        assertThat(lines).as(output).hasSize(3);
        assertThat(lines.get(2)).as("with a Java agent, from jars: no archive, and it runs").startsWith(
                "child 3 exit 0 ").contains("-javaagent:").doesNotContain("SharedArchiveFile", "ArchiveClassesAtExit");
        assertThat(lines.get(0)).startsWith("child 1 exit 0 ").contains("-XX:ArchiveClassesAtExit=" + cache);
        try (Stream<Path> files = Files.list(cache)) {
            List<Path> kept = files.toList();
            assertThat(kept).as("the archive, and no recording left behind").hasSize(1)
                    .allSatisfy(file -> assertThat(file.toString()).endsWith(".jsa"));
            assertThat(lines.get(1)).startsWith("child 2 exit 0 ")
                    .contains("-XX:SharedArchiveFile=" + kept.get(0));
        }
        assertThat(output).as("CDS says nothing in the children's output").doesNotContain("[cds]", "warning");
    }

    private static void packInto(Path directory, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(directory.relativize(path).toString().replace(File.separatorChar, '/')));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
    }
}
