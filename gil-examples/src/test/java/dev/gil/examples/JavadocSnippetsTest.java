package dev.gil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@code <pre>{@code ...}</pre>} snippet in the libraries' Javadoc is, line for line, in one of the snippet
 * tests of this module, which compile and run it: a snippet edited in the Javadoc and not here fails this test.
 */
class JavadocSnippetsTest {
    /** The library modules whose public Javadoc users read. */
    private static final List<String> LIBRARIES = List.of("gil-core", "gil-refcount", "gil-multiprocess",
            "gil-agent", "gil-cluster", "gil-python");
    private static final Path TESTS = Path.of("src", "test", "java", "dev", "gil", "examples");

    @Test
    void everyJavadocSnippetOfTheLibrariesIsCompiledAndRunHere() throws IOException {
        List<Snippets.Snippet> snippets = new ArrayList<>();
        for (String library : LIBRARIES) {
            snippets.addAll(Snippets.javadoc(Path.of("..", library, "src", "main", "java")));
        }
        assertThat(snippets).as("Javadoc snippets").hasSizeGreaterThanOrEqualTo(50);
        Snippets.assertEachIsIn(snippets, List.of(TESTS.resolve("LockSnippetsTest.java"),
                TESTS.resolve("RefCountSnippetsTest.java"), TESTS.resolve("ProcessSnippetsTest.java")));
    }
}
