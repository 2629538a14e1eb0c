package dev.gil.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The tour as a self-contained HTML page: each claim of the post quoted in Korean with an English translation, what the
 * example printed, the verdict, and SVG timelines where they help. No script, no stylesheet or image from elsewhere;
 * the markup is well-formed XML (XHTML), so any parser can check it.
 *
 * <pre>{@code
 * TourReport report = TourReport.capture();     // copies System.out into the current section
 * report.section("1. ...", "한 CPU만 일함", "Only one CPU works");
 * report.verdict("confirmed: ...");
 * report.write(Path.of("report"));              // report/index.html
 * }</pre>
 */
final class TourReport {
    private record Section(String title, String korean, String english, ByteArrayOutputStream output,
            List<String> verdicts, List<String> svgs) {}

    private final List<Section> sections = new ArrayList<>();
    private final PrintStream original;

    private TourReport(PrintStream original) {
        this.original = original;
    }

    /** Starts capturing {@code System.out} (it still reaches the console). */
    static TourReport capture() {
        TourReport report = new TourReport(System.out);
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                report.original.write(b);
                report.current().write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                report.original.write(bytes, offset, length);
                report.current().write(bytes, offset, length);
            }

            @Override
            public void flush() {
                report.original.flush();
            }
        }, true, StandardCharsets.UTF_8));
        return report;
    }

    /** Stops capturing: {@code System.out} is the console's again. */
    void stop() {
        System.setOut(original);
    }

    void section(String title, String korean, String english) {
        sections.add(new Section(title, korean, english, new ByteArrayOutputStream(), new ArrayList<>(),
                new ArrayList<>()));
    }

    void verdict(String line) {
        if (!sections.isEmpty()) {
            sections.get(sections.size() - 1).verdicts().add(line);
        }
    }

    void svg(String svg) {
        if (!sections.isEmpty()) {
            sections.get(sections.size() - 1).svgs().add(svg.replaceFirst("<\\?xml[^>]*>", ""));
        }
    }

    private ByteArrayOutputStream current() {
        return sections.isEmpty() ? new ByteArrayOutputStream() : sections.get(sections.size() - 1).output();
    }

    /**
     * Writes {@code dir/index.html}, through a temporary file, so that nothing is half-written.
     *
     * @return the written file
     */
    Path write(Path dir, String heading) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve("index.html");
        Path temporary = Files.createTempFile(dir, "index", ".html.tmp");
        try {
            Files.writeString(temporary, html(heading), StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (Files.getFileStore(target).supportsFileAttributeView("posix")) {
                // a temporary file is created readable by its owner only; a report is for reading
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        return target;
    }

    /** Fails now, with the reason, if {@code dir} cannot take a report: before the tour spends half a minute. */
    static void checkWritable(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path probe = Files.createTempFile(dir, "probe", ".tmp");
        Files.delete(probe);
    }

    private String html(String heading) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<title>gil4j tour</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:1240px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("blockquote{border-left:4px solid #1e88e5;margin:0;padding:.3em 1em;background:#f5f9ff}\n")
                .append("pre{background:#f5f5f5;padding:1em;overflow-x:auto;font-size:13px}\n")
                .append(".verdict{font-weight:bold;margin:.5em 0}\n.en{color:#555;font-style:italic}\n")
                .append("</style>\n</head>\n<body>\n<h1>gil4j tour</h1>\n<p>").append(escape(heading))
                .append("</p>\n");
        for (Section section : sections) {
            out.append("<h2>").append(escape(section.title())).append("</h2>\n<blockquote><p lang=\"ko\">")
                    .append(escape(section.korean())).append("</p><p class=\"en\">").append(escape(section.english()))
                    .append("</p></blockquote>\n<pre>")
                    .append(escape(withoutVerdicts(section.output().toString(StandardCharsets.UTF_8)).strip()))
                    .append("</pre>\n");
            for (String verdict : section.verdicts()) {
                out.append("<p class=\"verdict\">").append(escape(verdict)).append("</p>\n");
            }
            for (String svg : section.svgs()) {
                out.append("<div>").append(svg).append("</div>\n");
            }
        }
        return out.append("</body>\n</html>\n").toString();
    }

    /** The printed verdict lines: the report shows them in bold after the output instead. */
    private static String withoutVerdicts(String output) {
        StringBuilder kept = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (!line.startsWith("   => ")) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
