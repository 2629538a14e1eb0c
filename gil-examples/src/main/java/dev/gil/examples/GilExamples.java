package dev.gil.examples;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code gil-examples} command: one subcommand per section of the seed post, and {@code tour}, which runs them in
 * the post's order and prints each claim beside what this machine measured.
 *
 * <pre>
 * java -jar gil-examples/target/gil-examples.jar tour
 * java -jar gil-examples/target/gil-examples.jar thread
 * </pre>
 */
@Command(name = "gil-examples", mixinStandardHelpOptions = true, version = "gil4j examples 0.1.0",
        description = "The GIL blog post, runnable.",
        subcommands = {GilExamples.Tour.class, GilExamples.ThreadCommand.class, GilExamples.ProcessCommand.class,
            GilExamples.CpuBoundCommand.class, GilExamples.TraceCommand.class})
public final class GilExamples implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new GilExamples()).execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 2;
    }

    /** {@code tour}: every example in the post's order, each claim beside the measured figure. */
    @Command(name = "tour", description = "Run every example in the post's order and check each claim.")
    static final class Tour implements Callable<Integer> {
        @Option(names = "--quick", description = "Smaller workloads, for tests and CI.")
        boolean quick;

        @Override
        public Integer call() throws Exception {
            System.out.println("gil4j tour: the claims of 'GIL을 알아보자', measured on this machine ("
                    + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version() + ")");
            System.out.println();
            System.out.println("1. th1 = Thread(target=do_work); th1.start(); th1.join()");
            ThreadExample.main(new String[0]);
            System.out.println();
            System.out.println("2. pr1 = Process(target=do_work); pr1.start(); pr1.join()");
            ProcessExample.main(new String[0]);
            System.out.println();
            System.out.println("3. 한 CPU만 일함 / Only one CPU works: CPU-bound work on 1 thread, 2 threads, 2 processes");
            List<CpuBoundExample.Row> rows = CpuBoundExample.measure(quick ? 1_000_000 : 1_500_000, quick ? 1 : 3);
            CpuBoundExample.print(rows);
            System.out.println("   " + CpuBoundVerdict.of(rows));
            return 0;
        }
    }

    /** {@code thread}: the seed's {@code Thread(target=do_work)} snippet. */
    @Command(name = "thread", description = "th1 = Thread(target=do_work), as a GilThread.")
    static final class ThreadCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            ThreadExample.main(new String[0]);
            return 0;
        }
    }

    /** {@code process}: the seed's {@code Process(target=do_work)} snippet. */
    @Command(name = "process", description = "pr1 = Process(target=do_work), as a JvmProcess.")
    static final class ProcessCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            ProcessExample.main(new String[0]);
            return 0;
        }
    }

    /** {@code trace}: Perfetto JSON and SVG timelines of a convoy, under two schedulers. */
    @Command(name = "trace", description = "Record who held and waited for the lock; write Perfetto JSON and SVG.")
    static final class TraceCommand implements Callable<Integer> {
        @Option(names = "--out", description = "Directory for the files (default: ${DEFAULT-VALUE}).",
                defaultValue = "gil-trace")
        java.nio.file.Path out;

        @Option(names = "--millis", description = "How long to record each run (default: ${DEFAULT-VALUE}).",
                defaultValue = "60")
        long millis;

        @Override
        public Integer call() throws Exception {
            for (java.nio.file.Path file : TraceExample.record(out, millis)) {
                System.out.println("  wrote " + file);
            }
            return 0;
        }
    }

    /** {@code cpu}: only one CPU works under the GIL. */
    @Command(name = "cpu", description = "CPU-bound work on 1 thread, 2 GilThreads and 2 plain threads.")
    static final class CpuBoundCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            CpuBoundExample.main(new String[0]);
            return 0;
        }
    }
}
