package dev.gil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's figures come from {@code docs/performance.md}, which {@code compare} writes: its table under
 * "Figures" is the page's headline table, row for row, so a figure cannot be edited by hand or outlive its run.
 */
class ReadmeFiguresTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path PERFORMANCE = Path.of("..", "docs", "performance.md");

    @Test
    void theReadmeFiguresAreThePerformancePagesHeadline() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String page = Files.readString(PERFORMANCE, StandardCharsets.UTF_8);
        List<String> readmeRows = tableRows(section(readme, "## Figures"));
        List<String> headline = tableRows(section(page, "## Headline"));

        assertThat(headline).as("the headline of %s", PERFORMANCE).hasSizeGreaterThanOrEqualTo(3);
        assertThat(readmeRows).as("the README's Figures table, against the headline of %s", PERFORMANCE)
                .isEqualTo(headline);
        assertThat(page).as("written by compare").contains("gil-benchmarks.jar compare");
    }

    /** The text from a heading to the next heading of any level. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("heading %s", heading).isNotNegative();
        int end = markdown.indexOf("\n#", start + heading.length() + 2);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** The lines of the first table in the text, header and rule included. */
    private static List<String> tableRows(String text) {
        return text.lines().dropWhile(line -> !line.startsWith("|")).takeWhile(line -> line.startsWith("|")).toList();
    }
}
