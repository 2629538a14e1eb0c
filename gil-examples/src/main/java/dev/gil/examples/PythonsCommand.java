package dev.gil.examples;

import dev.gil.python.PythonGil;
import dev.gil.python.PythonRunner;
import dev.gil.python.SeedPrograms;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pythons}: each of the seed's Python programs three ways, in one table: on CPython (where {@code python3}
 * exists), on Jython with no lock, and on Jython under gil4j's lock. What the GIL does, shown on Python itself.
 */
@Command(name = "pythons", mixinStandardHelpOptions = true,
        description = "The seed's Python programs on CPython, on Jython with no lock and on Jython under gil4j.")
final class PythonsCommand implements Callable<Integer> {
    @Option(names = "--gil", paramLabel = "CHOICE", defaultValue = "switchInterval",
            description = "The scheduler of the gil4j column (default: ${DEFAULT-VALUE}).")
    String gil;

    @Option(names = "--quick", description = "Smaller workloads.")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        PythonGil choice = PythonGil.of(gil);
        System.out.printf("%-12s | %-40s | %-40s | %s%n", "program", "CPython (GIL)", "Jython, no lock",
                "Jython under gil4j " + choice);
        for (String name : List.of("cpu_bound.py", "io_bound.py", "race.py", "phone_booth.py", "convoy.py")) {
            Path program = SeedPrograms.extract(name);
            String[] args = arguments(name);
            System.out.printf("%-12s | %-40s | %-40s | %s%n", name, cpython(program, args),
                    jython(program, PythonGil.OFF, args), jython(program, choice, args));
        }
        return 0;
    }

    /** CPython and Jython need different sizes: Jython compiles the loop, CPython interprets it. */
    private String[] arguments(String name) {
        return switch (name) {
            case "race.py" -> new String[] {quick ? "20000" : "200000"};
            case "io_bound.py" -> new String[] {"0.02"};
            case "phone_booth.py" -> new String[] {quick ? "0.3" : "1.0"};
            case "convoy.py" -> new String[] {quick ? "50" : "200"};
            default -> new String[] {quick ? "5000000" : "20000000"}; // CPython's countdown, as gil_peer.py's
        };
    }

    private static String cpython(Path program, String[] args) {
        List<String> command = new ArrayList<>(List.of("python3", program.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return "n/a (did not finish)";
            }
            return result(output);
        } catch (IOException e) {
            return "n/a (no python3)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a (interrupted)";
        }
    }

    private static String jython(Path program, PythonGil gil, String[] args) throws InterruptedException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // Jython compiles the countdown to JVM code: it needs more rounds than CPython to run as long.
            PythonRunner.runInChildJvm(program, gil, cpuBound(program) ? new String[] {"100000000"} : args);
        } finally {
            System.setOut(original);
        }
        return result(captured.toString(StandardCharsets.UTF_8));
    }

    private static boolean cpuBound(Path program) {
        return program.getFileName().toString().equals("cpu_bound.py");
    }

    /** The program's result line, without its name. */
    private static String result(String output) {
        return output.lines().filter(line -> line.contains(": ")).reduce((first, last) -> last)
                .map(line -> line.substring(line.indexOf(": ") + 2)).orElse("n/a: " + output.strip());
    }
}
