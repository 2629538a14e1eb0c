package dev.gil.multiprocess.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The output pump's line reader: whole lines, or parts of a bounded length. */
public class ChildOutputLinesTest {
    /** The longest line the pump forwards. */
    public static final int MAX = ChildLauncher.MAX_OUTPUT_LINE_CHARS;

    private static List<String> lines(String text, int max) throws IOException {
        BufferedReader in = new BufferedReader(new StringReader(text));
        StringBuilder line = new StringBuilder();
        List<String> out = new ArrayList<>();
        while (ChildLauncher.readLine(in, line, max)) {
            out.add(line.toString());
        }
        return out;
    }

    @Test
    void linesEndAtNewlinesOfEitherKindAndTheLastNeedsNone() throws IOException {
        assertThat(lines("a\nb\r\n\nc", 10)).containsExactly("a", "b", "", "c");
        assertThat(lines("", 10)).isEmpty();
        assertThat(lines("a\n", 10)).containsExactly("a");
    }

    @Test
    void aLongLineIsSplitIntoPartsOfTheBound() throws IOException {
        assertThat(lines("abcdefgh", 3)).containsExactly("abc", "def", "gh");
        assertThat(lines("abcdef\nxy", 3)).as("a part that ends at the newline adds no empty line")
                .containsExactly("abc", "def", "xy");
    }
}
