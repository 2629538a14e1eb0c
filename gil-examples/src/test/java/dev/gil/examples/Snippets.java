package dev.gil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Code snippets of the documentation, and the check that each is, line for line, in a test that compiles and runs
 * it (as Caffeine does with its snippets), so that a snippet cannot rot.
 */
final class Snippets {
    private static final Pattern JAVADOC_CODE = Pattern.compile("<pre>\\{@code\\n(.*?)}</pre>", Pattern.DOTALL);
    private static final Pattern MARKDOWN_JAVA = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    /** The end of a test's line that checks a snippet from within it. */
    static final String TEST_LINE = "// (test)";

    /** One snippet and where it came from. */
    record Snippet(String where, String code) {}

    private Snippets() {}

    /** The {@code <pre>{@code ...}</pre>} blocks of the Java files under {@code root}. */
    static List<Snippet> javadoc(Path root) throws IOException {
        List<Snippet> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                Matcher block = JAVADOC_CODE.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (block.find()) {
                    String code = block.group(1).lines().map(line -> line.replaceFirst("^\\s*\\* ?", ""))
                            .reduce("", (all, line) -> all + line + "\n");
                    found.add(new Snippet(file + " (snippet at character " + block.start() + ")", code));
                }
            }
        }
        return found;
    }

    /** The {@code ```java} blocks of a Markdown file. */
    static List<Snippet> markdown(Path file) throws IOException {
        List<Snippet> found = new ArrayList<>();
        Matcher block = MARKDOWN_JAVA.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (block.find()) {
            found.add(new Snippet(file + " (snippet #" + (found.size() + 1) + ")", block.group(1)));
        }
        return found;
    }

    /**
     * Asserts that every snippet's lines are, together and in order, in one of the {@code tests}. A test may put a
     * check between a snippet's lines: a line of the test that ends with {@value #TEST_LINE} is not part of any
     * snippet.
     */
    static void assertEachIsIn(List<Snippet> snippets, List<Path> tests) {
        List<List<String>> sources = tests.stream().map(Snippets::read).map(Snippets::normalized)
                .map(lines -> lines.stream().filter(line -> !line.endsWith(TEST_LINE)).toList()).toList();
        List<String> missing = new ArrayList<>();
        for (Snippet snippet : snippets) {
            List<String> lines = normalized(snippet.code());
            if (sources.stream().noneMatch(source -> Collections.indexOfSubList(source, lines) >= 0)) {
                missing.add(snippet.where() + ":\n" + snippet.code());
            }
        }
        assertThat(missing).as("snippets that no test of %s compiles and runs, line for line", tests).isEmpty();
    }

    /** Lines without indentation or blank lines, runs of spaces folded: documentation is indented differently. */
    static List<String> normalized(String text) {
        return text.lines().map(line -> line.strip().replaceAll("\\s+", " ")).filter(line -> !line.isEmpty())
                .toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
