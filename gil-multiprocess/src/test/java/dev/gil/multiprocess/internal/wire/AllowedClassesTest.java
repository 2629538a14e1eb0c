package dev.gil.multiprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.example.gadget.Gadget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowedClassesTest {
    @AfterEach
    void reset() {
        AllowedClasses.reset();
        System.clearProperty(Gadget.RAN);
    }

    @Test
    void jdkValueTypesGilsOwnAndClassDirectoriesAreAllowedTheRestOfTheJdkAndLibraryJarsAreNot() {
        for (String allowed : List.of("java.lang.String", "java.util.ArrayList", "java.time.LocalDate",
                "java.math.BigDecimal", "java.net.URI", "java.lang.invoke.SerializedLambda", "java.io.IOException",
                "dev.gil.multiprocess.ChildException", Gadget.class.getName(), AllowedClassesTest.class.getName())) {
            assertThat(AllowedClasses.allowed(allowed)).as(allowed).isTrue();
        }
        for (String refused : List.of("javax.management.BadAttributeValueExpException", "sun.misc.Unsafe",
                "jdk.internal.misc.Unsafe", "com.sun.rowset.JdbcRowSetImpl", "java.lang.reflect.Proxy",
                "java.lang.invoke.MethodHandle", "java.io.File", "java.net.URL",
                "com.google.common.collect.ImmutableList", "org.slf4j.helpers.BasicMarker",
                "com.example.NoSuchClass")) {
            assertThat(AllowedClasses.allowed(refused)).as(refused).isFalse();
        }
    }

    @Test
    void patternsComeFirstAndTheFirstThatMatchesDecides() {
        AllowedClasses.addPatterns("!" + Gadget.class.getName() + ";com.google.common.collect.*");
        assertThat(AllowedClasses.allowed(Gadget.class.getName())).isFalse();
        assertThat(AllowedClasses.allowed("com.google.common.collect.ImmutableList")).isTrue();
        assertThat(AllowedClasses.allowed("com.google.common.collect.testing.Helpers")).as("not a subpackage")
                .isFalse();
        AllowedClasses.addPatterns("com.google.common.**;maxdepth=5");
        assertThat(AllowedClasses.allowed("com.google.common.base.Optional")).isTrue();
        assertThat(AllowedClasses.allowed("javax.naming.InitialContext")).isFalse();
        assertThat(AllowedClasses.sameAsOurs()).anyMatch(option -> option.startsWith("-D"
                + AllowedClasses.PATTERNS_PROPERTY + "=!" + Gadget.class.getName()));
        assertThatThrownBy(() -> AllowedClasses.addPatterns("maxdepth=5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no class pattern");
        AllowedClasses.allowClassPath();
        assertThat(AllowedClasses.allowed("org.slf4j.helpers.BasicMarker")).isTrue();
        assertThat(AllowedClasses.allowed("sun.misc.Unsafe")).as("never the JDK's internals").isFalse();
        assertThat(AllowedClasses.sameAsOurs()).contains("-D" + AllowedClasses.CLASS_PATH_PROPERTY + "=true");
    }

    @Test
    void aGadgetInALibraryJarIsRefusedBeforeItsClassIsLoadedAndRunsWhenAllowed(@TempDir Path dir) throws Exception {
        byte[] stream = SerialCodec.serialize(new Gadget());
        SerialCodec.deserialize(stream);
        assertThat(System.getProperty(Gadget.RAN)).as("from a class directory: the application's own").isEqualTo(
                "true");
        System.clearProperty(Gadget.RAN);

        Path jar = dir.resolve("library.jar");
        String entry = Gadget.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(entry));
            try (var in = Gadget.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(out);
            }
        }
        List<String> loaded = new ArrayList<>();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader library = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                loaded.add(name);
                return super.loadClass(name, resolve);
            }
        }) {
            Thread.currentThread().setContextClassLoader(library);
            assertThatThrownBy(() -> SerialCodec.deserialize(stream)).isInstanceOf(InvalidClassException.class)
                    .hasMessageContaining(Gadget.class.getName()).hasMessageContaining("ClassAllowList.allow");
            assertThat(System.getProperty(Gadget.RAN)).as("readObject never ran").isNull();
            assertThat(loaded).as("the class was never loaded").doesNotContain(Gadget.class.getName());

            AllowedClasses.addPatterns("org.example.gadget.*");
            Object gadget = SerialCodec.deserialize(stream);
            assertThat(gadget.getClass().getClassLoader()).isSameAs(library);
            assertThat(System.getProperty(Gadget.RAN)).as("allowed, it runs: the test can tell").isEqualTo("true");
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void aClassMissingHereIsNotFoundRatherThanRefused() throws Exception {
        String stream = new String(SerialCodec.serialize(new Gadget()), StandardCharsets.ISO_8859_1);
        byte[] renamed = stream.replace(Gadget.class.getName(), "org.example.gadget.Gidget")
                .getBytes(StandardCharsets.ISO_8859_1); // the same length: the stream stays well formed
        assertThatThrownBy(() -> SerialCodec.deserialize(renamed)).isInstanceOf(ClassNotFoundException.class)
                .hasMessageContaining("org.example.gadget.Gidget");
        assertThatThrownBy(() -> WireCodec.decode(false, renamed)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("cannot load").hasMessageContaining("Gidget");
    }
}
