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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pythons}: each of the seed's Python programs three ways, in one table: on CPython (where {@code python3}
 * exists), on Jython with no lock, and on Jython under gil4j's lock with each scheduler asked for. What the GIL does,
 * shown on Python itself; then the claims checked against the figures of this run ({@link PythonClaims}).
 */
@Command(name = "pythons", mixinStandardHelpOptions = true,
        description = "The seed's Python programs on CPython, on Jython with no lock and on Jython under gil4j.")
final class PythonsCommand implements Callable<Integer> {
    @Option(names = "--gil", paramLabel = "CHOICE", split = ",", defaultValue = "switchInterval,ioPriority",
            description = "The schedulers of the gil4j columns, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> gils;

    @Option(names = "--quick", description = "Smaller workloads.")
    boolean quick;

    static final List<String> PROGRAMS = List.of("cpu_bound.py", "io_bound.py", "race.py", "phone_booth.py",
            "convoy.py");

    @Override
    public Integer call() throws Exception {
        List<PythonGil> choices = new ArrayList<>();
        for (String gil : gils) {
            choices.add(PythonGil.of(gil));
        }
        // program -> column -> result line
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        for (String name : PROGRAMS) {
            Path program = SeedPrograms.extract(name);
            String[] args = arguments(name);
            Map<String, String> row = new LinkedHashMap<>();
            row.put(PythonClaims.CPYTHON, cpython(program, args));
            row.put(PythonClaims.NO_LOCK, jython(program, PythonGil.OFF, args));
            for (PythonGil choice : choices) {
                row.put(PythonClaims.column(choice), jython(program, choice, args));
            }
            results.put(name, row);
            System.out.println(name);
            row.forEach((column, result) -> System.out.printf("  %-28s %s%n", column, result));
        }
        System.out.println();
        PythonClaims.print(results, System.out);
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
