package dev.gil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code compare --quick}: the report's shape (never its numbers, which belong to the machine). */
class CompareShapeTest {

    @Test
    void compareWritesAPageJsonLinesAndAChart(@TempDir Path dir) throws Exception {
        // No CPython here, on purpose: the table must say so rather than fail.
        int status = BenchmarksCommand.commandLine().execute("compare", "--quick", "--peer",
                dir.resolve("no-peer.py").toString(), "--out", dir.toString());
        assertThat(status).isZero();
        String page = Files.readString(dir.resolve("performance.md"));
        assertThat(page).startsWith("# Performance").contains("gil-benchmarks.jar compare --quick --peer ");
        String headline = page.substring(page.indexOf("## Headline"), page.indexOf("## Every figure"));
        assertThat(headline.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| figure")))
                .as("the README's rows").hasSameSizeAs(Benchmarks.HEADLINE)
                .allSatisfy(row -> assertThat(row.chars().filter(c -> c == '|').count()).isEqualTo(6));
        String markdown = page.substring(page.indexOf("## Every figure"));

        assertThat(markdown).contains("| figure | unit | gil4j median [min–max] | CPython median | baseline (same run) |"
                + " ratio | target | met |", "fair() handoff round trip p50", "convoy RTT p50, ioPriority()",
                "child JVM start+join", "start-to-running, warmStart(true)", "sendBytes 1 MiB messages",
                "pool map x*x, 20k ints, default chunksize", "pool map x*x, 20k ints, chunksize 1",
                "pool CPU-bound 8 chunks", "fresh script: pool(2) to its first answer",
                "fresh script: child JVM start+join", "fresh script: pool map x*x, 20k ints, chunksize 1",
                "I/O-bound: 8 GilThreads", "race: 4 threads, GIL, c = c + 1", "race: 4 threads, GIL + mutex",
                "refcount retain+release, ATOMIC");
        assertThat(page).as("the machine line says why CPython is absent").contains("no CPython peer script at");
        List<String> rows = markdown.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| figure"))
                .toList();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(34).allSatisfy(row ->
                assertThat(row.replace("\\|", "").chars().filter(c -> c == '|').count()).as("columns of %s", row)
                        .isEqualTo(9));

        // cells: "", figure, unit, ours, CPython, baseline, ratio, target, met
        List<String[]> withoutTheirRatio = rows.stream().map(row -> row.replace("\\|", "").split("\\|"))
                .filter(cells -> cells[4].isBlank() || cells[4].trim().equals("n/a"))
                .filter(cells -> cells[7].contains("CPython")).toList();
        assertThat(withoutTheirRatio).as("targets that need the absent CPython peer").isNotEmpty()
                .allSatisfy(cells -> assertThat(cells[8].trim()).as(String.join("|", cells)).isEqualTo("n/a"));

        List<String> lines = Files.readAllLines(dir.resolve("performance/samples.jsonl"));
        assertThat(lines).hasSize(rows.size());
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode row = json.readTree(line);
            assertThat(row.get("figure").asText()).isNotBlank();
            assertThat(row.get("samples").isArray()).isTrue();
            assertThat(row.has("ratio") && row.has("target") && row.has("met")).isTrue();
        }

        int bars = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("performance/ratios.svg").toFile())
                .getElementsByTagName("rect").getLength() - 1; // less the background
        assertThat(bars).as("one bar per row with a ratio").isPositive().isLessThanOrEqualTo(rows.size());
    }

    @Test
    void everyCommandHasItsHelpAndABadOptionIsNamed() {
        StringWriter out = new StringWriter();
        CommandLine cli = BenchmarksCommand.commandLine().setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("compare", "core", "multiprocess", "pool", "seed", "agent", "cluster",
                "jmh");
        out.getBuffer().setLength(0);
        assertThat(cli.execute("compare", "--help")).isZero();
        assertThat(out.toString()).contains("--out=DIR", "--quick", "--peer=PATH");

        StringWriter err = new StringWriter();
        CommandLine fresh = BenchmarksCommand.commandLine().setErr(new PrintWriter(err));
        assertThat(fresh.execute("core", "--fast")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--fast'");
    }
}
