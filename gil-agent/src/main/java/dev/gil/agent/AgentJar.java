package dev.gil.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Finds a jar that {@code -javaagent} and the attach mechanism accept for this agent, or makes one. */
final class AgentJar {
    private AgentJar() {}

    static Path locateOrCreate() {
        Path own = ownJarWithAgentManifest();
        return own != null ? own : manifestOnlyJar();
    }

    /** The jar the agent's classes come from, if its manifest names the agent. */
    private static Path ownJarWithAgentManifest() {
        try {
            Path location = Path.of(GilAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location)) {
                return null;
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                Manifest manifest = jar.getManifest();
                return manifest != null && GilAgent.class.getName().equals(
                        manifest.getMainAttributes().getValue("Premain-Class")) ? location : null;
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** A jar with only the agent's manifest: the JVM loads the agent class itself from the class path. */
    private static Path manifestOnlyJar() {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.putValue("Premain-Class", GilAgent.class.getName());
        attributes.putValue("Agent-Class", GilAgent.class.getName());
        attributes.putValue("Can-Retransform-Classes", "true");
        try {
            Path jar = Files.createTempFile("gil4j-agent-", ".jar");
            jar.toFile().deleteOnExit();
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                out.finish(); // a manifest and nothing else
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the gil4j agent's jar under "
                    + System.getProperty("java.io.tmpdir"), e);
        }
    }
}
