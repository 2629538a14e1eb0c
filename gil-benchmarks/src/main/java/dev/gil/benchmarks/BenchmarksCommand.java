package dev.gil.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code gil-benchmarks} command line: one subcommand per part of the comparison, {@code compare} for all of them
 * in one report, and {@code jmh} for the JMH microbenchmarks; {@code --help} on each.
 */
@Command(name = "gil-benchmarks", mixinStandardHelpOptions = true, version = "gil4j benchmarks 0.1.0",
        description = "gil4j measured against CPython and the JDK, every ratio against a baseline of the same run.",
        subcommands = BenchmarksCommand.Compare.class)
final class BenchmarksCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Returns the command line: {@code compare}, then one subcommand per part, then {@code jmh}. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new BenchmarksCommand());
        part(cli, "core", "gil-core beside CPython: hot paths, handoffs, CPU threads, the convoy.", Benchmarks::core);
        part(cli, "multiprocess", "Child JVMs beside CPython's spawn and fork: start-up, round trips of each message"
                + " shape, 1 MiB messages.", ProcessRows::multiprocess);
        part(cli, "pool", "ProcessPool beside CPython's Pool(2).", ProcessRows::pool);
        part(cli, "seed", "The seed's claims: I/O threads, the increment race, reference counts.", Benchmarks::seed);
        part(cli, "agent", "The gil4j agent: its poll's cost and a waiter's latency, in JVMs started with it.",
                (report, quick, peer) -> Benchmarks.agent(report, quick));
        part(cli, "cluster", "ClusterPool on 2 local member JVMs beside ProcessPool(2).",
                (report, quick, peer) -> Benchmarks.cluster(report, quick));
        cli.addSubcommand("jmh", new CommandLine(new Jmh()).setUnmatchedOptionsArePositionalParams(true));
        return cli;
    }

    private static void part(CommandLine cli, String name, String description, Benchmarks.Section section) {
        CommandLine part = new CommandLine(new Part(section));
        part.getCommandSpec().usageMessage().description(description);
        cli.addSubcommand(name, part);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    /** What every part accepts. */
    static class PartOptions {
        @Option(names = "--quick", description = "One short repetition of each figure: a smoke run, not a measurement.")
        boolean quick;

        @Option(names = "--peer", paramLabel = "PATH",
                description = "The CPython peer script (default: the gil_peer.py inside this jar).")
        Path peer;

        PythonPeer pythonPeer() {
            return peer != null ? new PythonPeer(peer) : PythonPeer.bundled();
        }
    }

    /** One part of the comparison on its own: its table, with the machine it ran on. */
    @Command(mixinStandardHelpOptions = true)
    static final class Part extends PartOptions implements Callable<Integer> {
        private final Benchmarks.Section section;

        Part(Benchmarks.Section section) {
            this.section = section;
        }

        @Override
        public Integer call() throws Exception {
            System.out.print(Benchmarks.section(quick, pythonPeer(), section));
            return 0;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Every part in one run: writes DIR/performance.md (headline rows and every row, with the"
                    + " machine, the date and this command), DIR/performance/samples.jsonl and"
                    + " DIR/performance/ratios.svg. The repository's page is `compare --out docs`.")
    static final class Compare extends PartOptions implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "compare-report",
                description = "Where to write the report (default: ${DEFAULT-VALUE}).")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            // The whole command line as given, "compare" first: the page quotes it.
            String command = String.join(" ", spec.commandLine().getParseResult().originalArgs());
            System.out.print(Benchmarks.compare(quick, pythonPeer(), out, command));
            return 0;
        }
    }

    @Command(name = "jmh", description = "The JMH microbenchmarks; every argument goes to JMH (try `jmh -h`).")
    static final class Jmh implements Callable<Integer> {
        @Parameters(paramLabel = "JMH_OPTION", description = "JMH's own options and benchmark patterns.")
        List<String> arguments = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            org.openjdk.jmh.Main.main(arguments.toArray(String[]::new));
            return 0;
        }
    }
}
