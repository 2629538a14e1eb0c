package dev.gil.examples;

import dev.gil.python.PythonGil;
import dev.gil.python.PythonRunner;
import dev.gil.python.SeedPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code python FILE.py --gil off|unfair|fair|switchInterval|ioPriority|eventuallyFair [ARGS...]}: runs a Python
 * program on Jython in a child JVM, under a lock with that scheduler or under none, and prints the program's own
 * output. {@code FILE} may also name one of the seed's programs ({@link SeedPrograms#names()}), which travel in the
 * jar.
 *
 * <pre>
 * java -jar gil-examples/target/gil-examples.jar python race.py --gil switchInterval
 * java -jar gil-examples/target/gil-examples.jar python cpu_bound.py --gil off 50000000
 * java -jar gil-examples/target/gil-examples.jar python convoy.py --gil switchInterval --trace convoy.json
 * </pre>
 */
@Command(name = "python", mixinStandardHelpOptions = true,
        description = "Run a Python file on Jython, under gil4j's lock with the scheduler you choose, or under none.")
final class PythonCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.py",
            description = "The program: a file, or one of the seed's programs: ${COMPLETION-CANDIDATES}",
            completionCandidates = SeedNames.class)
    String file;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The program's arguments.")
    List<String> args = new ArrayList<>();

    @Option(names = "--gil", paramLabel = "CHOICE", defaultValue = "switchInterval",
            description = "off, unfair, fair, switchInterval, ioPriority or eventuallyFair (default: ${DEFAULT-VALUE}).")
    String gil;

    @Option(names = "--trace", paramLabel = "FILE.json",
            description = "Write a trace of the lock (Chrome JSON: open it in https://ui.perfetto.dev).")
    Path trace;

    /** The seed programs' names, for the help text. */
    static final class SeedNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        SeedNames() {
            super(SeedPrograms.names());
        }
    }

    @Override
    public Integer call() throws Exception {
        PythonGil choice;
        try {
            choice = PythonGil.of(gil);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Path program = Path.of(file);
        if (!Files.isRegularFile(program)) {
            if (!SeedPrograms.names().contains(file)) {
                System.err.println("no such file: " + program.toAbsolutePath() + " (nor a seed program: "
                        + SeedPrograms.names() + ")");
                return 2;
            }
            program = SeedPrograms.extract(file);
        }
        if (trace == null) {
            return PythonRunner.runInChildJvm(program, choice, args.toArray(new String[0]));
        }
        if (choice == PythonGil.OFF) {
            System.err.println("--trace needs a lock: --gil off runs without one");
            return 2;
        }
        int status = PythonRunner.traceInChildJvm(program, choice, trace, args.toArray(new String[0]));
        System.err.println("trace of the lock: " + trace.toAbsolutePath() + " (open it in https://ui.perfetto.dev)");
        return status;
    }
}
