package dev.gil.examples;

import java.time.Duration;
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
        subcommands = {GilExamples.Tour.class, GilExamples.TraceCommand.class, PythonCommand.class,
            PythonsCommand.class})
public final class GilExamples implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Creates the top-level command; {@link #commandLine()} adds the subcommands. */
    public GilExamples() {
        // picocli instantiates it
    }

    /**
     * Runs the command line.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Returns the command line: {@code tour}, {@code trace}, and one subcommand per example that runs its main.
     *
     * @return a new command line
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GilExamples());
        example(cli, "thread", "th1 = Thread(target=do_work), as a GilThread.", ThreadExample::main);
        example(cli, "process", "pr1 = Process(target=do_work), as a JvmProcess.", ProcessExample::main);
        example(cli, "cpu", "CPU-bound work on 1 thread, 2 GilThreads, 2 threads and 2 processes.",
                CpuBoundExample::main);
        example(cli, "io", "8 GilThreads blocking in allowThreads vs one after another.", IoBoundExample::main);
        example(cli, "race", "A shared counter: no lock, the GIL, the GIL with a switch point, a mutex.",
                RaceConditionExample::main);
        example(cli, "booth", "The phone booth: unfair, eventually fair and fair booths.", PhoneBoothExample::main);
        example(cli, "refcount", "Reference counts raced by two threads, in four modes.", RefCountRaceExample::main);
        example(cli, "mutex", "A mutex per object: its cost, its deadlock, and ordered locking.",
                PerObjectMutexExample::main);
        example(cli, "convoy", "An I/O thread next to a CPU-bound one, under three schedulers.", ConvoyExample::main);
        example(cli, "cluster", "CPU-bound chunks on a ProcessPool and on a 2-member ClusterPool, same code.",
                ClusterExample::main);
        example(cli, "auto-checkpoint", "A loop with no checkpoint() call, without and with the gil4j agent.",
                AutoCheckpointExample::main);
        return cli;
    }

    private static void example(CommandLine cli, String name, String description, ExampleMain main) {
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.wrapWithoutInspection(
                (Callable<Integer>) () -> {
                    main.run(new String[0]);
                    return 0;
                });
        spec.usageMessage().description(description);
        spec.mixinStandardHelpOptions(true);
        cli.addSubcommand(name, new CommandLine(spec));
    }

    /** An example's {@code main}. */
    @FunctionalInterface
    private interface ExampleMain {
        void run(String[] args) throws Exception;
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

        @Option(names = "--report", paramLabel = "DIR",
                description = "Also write a self-contained HTML report to DIR/index.html.")
        java.nio.file.Path reportDir;

        private TourReport report;

        @Override
        public Integer call() throws Exception {
            if (reportDir != null) {
                try {
                    TourReport.checkWritable(reportDir);
                } catch (java.io.IOException e) {
                    System.err.println("cannot write the report to " + reportDir.toAbsolutePath() + ": " + e);
                    return 1;
                }
                report = TourReport.capture();
            }
            String heading = "the claims of 'GIL을 알아보자', measured on this machine ("
                    + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version() + ")";
            try {
                System.out.println("gil4j tour: " + heading);
                run();
            } finally {
                if (report != null) {
                    report.stop();
                }
            }
            if (report != null) {
                System.out.println();
                System.out.println("report written to " + report.write(reportDir, heading).toAbsolutePath());
            }
            return 0;
        }

        private void run() throws Exception {
            section("1. th1 = Thread(target=do_work); th1.start(); th1.join()",
                    "th1 = Thread(target=do_work)  th1.start()  th1.join()",
                    "A thread runs do_work. Here it holds the interpreter lock while it does, as a Python thread "
                            + "holds the GIL while it runs Python code.");
            ThreadExample.main(new String[0]);

            section("2. pr1 = Process(target=do_work); pr1.start(); pr1.join()",
                    "pr1 = Process(target=do_work)  pr1.start()  pr1.join()",
                    "A process runs do_work, in its own JVM, with its own lock.");
            ProcessExample.main(new String[0]);

            section("3. 한 CPU만 일함 / Only one CPU works: CPU-bound work on 1 thread, 2 threads, 2 processes",
                    "한 CPU만 일함! 다중 CPU 환경에서 동시에 여러 파이썬 코드를 병렬로 실행할 수 없음. 계산을 많이 하는 작업: "
                            + "쓰레드 -> 프로세스",
                    "Only one CPU works! On a multi-CPU machine, pieces of Python code cannot run in parallel. "
                            + "For computation-heavy work: threads -> processes.");
            WorkSizing sizing = WorkSizing.measure(quick ? 200_000 : 1_500_000);
            System.out.println("  " + sizing.describe());
            List<CpuBoundExample.Row> cpu = CpuBoundExample.measure(sizing.units(), quick ? 1 : 3);
            CpuBoundExample.print(cpu);
            verdict(CpuBoundVerdict.of(cpu, Runtime.getRuntime().availableProcessors()));

            section("4. 프로그램에 I/O 작업을 많이하면 파이썬 쓰레드도 좋음 / I/O-bound programs are fine with threads",
                    "프로그램에 I/O 작업을 많이하면 파이썬 쓰레드도 좋음. 우리가 하는 일반 프로그래밍은 I/O Bound",
                    "If a program does a lot of I/O, Python threads are fine too. The everyday programming we do is "
                            + "I/O-bound.");
            IoBoundExample.Result io = IoBoundExample.measure(8, 4, quick ? 20 : 50);
            IoBoundExample.print(io);
            verdict(String.format("%s: 8 GilThreads blocking in allowThreads ran %.2fx faster than one after another",
                    io.speedup() > 4 ? "confirmed" : "not shown on this machine (its threads woke late)",
                    io.speedup()));

            section("5. Race condition: 여러 thread가 공유된 데이터를 변경함으로써 발생하는 문제",
                    "Race condition: 여러 thread가 공유된 데이터를 변경함으로써 발생하는 문제. \u201cThread-safe 하다\u201d: "
                            + "thread들이 race condition을 발생시키지 않으면서 각자의 일을 수행한다는 뜻.",
                    "Race condition: a problem caused by several threads changing shared data. \u201cThread-safe\u201d: "
                            + "threads do their own work without causing race conditions.");
            List<RaceConditionExample.Row> race = RaceConditionExample.measure(4, 10_000_000);
            RaceConditionExample.print(race);
            verdict(String.format("%s: without a lock %,d updates were lost; under the GIL, %,d when a switch point "
                            + "sits between read and write (the GIL does not make code thread-safe), %,d with a mutex",
                    race.get(3).lost() != 0 ? "NOT confirmed" : race.get(0).lost() > 0 ? "confirmed"
                            : "not shown on this machine (no two threads happened to interleave this time)",
                    race.get(0).lost(), race.get(2).lost(), race.get(3).lost()));

            section("6. Mutex: the phone booth (공중 전화 부스)", PhoneBoothExample.STORY_KOREAN,
                    PhoneBoothExample.STORY_ENGLISH);
            List<PhoneBoothExample.Row> booth = PhoneBoothExample.measure(4, Duration.ofMillis(quick ? 150 : 500));
            PhoneBoothExample.print(booth);
            verdict(String.format("the story's booth (unfair): fairness %.3f, longest wait %.1f ms; with a queue "
                            + "(fair): fairness %.3f, longest wait %.1f ms, at %.0f%% of the unfair booth's calls/s",
                    booth.get(0).fairness(), booth.get(0).longestWaitMillis(), booth.get(2).fairness(),
                    booth.get(2).longestWaitMillis(), 100 * booth.get(2).callsPerSecond() / booth.get(0).callsPerSecond()));

            section("7. Reference counting: Race condition이 일어나면 메모리 유실/object가 죽음이 발생",
                    "CPython reference counting 을 하는 과정에서 Race condition이 일어나면 그 결과는 메모리 유실/object가 "
                            + "죽음이 발생",
                    "If a race condition happens while CPython counts references, the result is leaked memory or a "
                            + "killed object.");
            List<RefCountRaceExample.Row> refs = RefCountRaceExample.measure(quick ? 50 : 100, 20_000);
            RefCountRaceExample.print(refs);
            RefCountRaceExample.Row unsync = refs.get(0);
            boolean safeOthers = refs.stream().skip(1).allMatch(r -> r.leaked() == 0 && r.freedEarly() == 0);
            verdict(String.format("%s: unsynchronized counts leaked %,d and freed %,d objects early; GIL, mutex per "
                            + "object and atomics: none. A mutex per object cost %.1fx the GIL's time per pair",
                    !safeOthers ? "NOT confirmed" : unsync.leaked() + unsync.freedEarly() > 0 ? "confirmed"
                            : "not shown on this machine (no two threads happened to interleave this time)",
                    unsync.leaked(), unsync.freedEarly(), refs.get(2).nanosPerPair() / refs.get(1).nanosPerPair()));

            section("8. object 하나하나 마다 mutex: 성능적으로 많은 손해, deadlock 위험 / a mutex per object: slow, and deadlocks",
                    "이를 해결하기 위해 mutex사용 -> object 하나하나 마다 대응하는 mutex가 필요함! 성능적으로 많은 손해, "
                            + "deadlock 위험상황",
                    "Using a mutex to fix it needs a mutex for every single object: a big loss of performance, and a "
                            + "risk of deadlock.");
            PerObjectMutexExample.Result mutex = PerObjectMutexExample.measure(quick ? 1_000_000 : 5_000_000,
                    quick ? 50_000 : 200_000);
            PerObjectMutexExample.print(mutex);
            verdict(String.format("%s: a mutex per object cost %.1fx an unsynchronized count on one thread; "
                            + "opposite-order locking deadlocked (found in %.1f ms); one global order did not",
                    mutex.deadlockFoundMillis() < 0 ? "NOT confirmed"
                            : mutex.perObjectLockNanos() > mutex.unsynchronizedNanos() ? "confirmed"
                            : "deadlock confirmed, cost not shown on this machine",
                    mutex.perObjectLockNanos() / mutex.unsynchronizedNanos(), mutex.deadlockFoundMillis()));

            section("9. The convoy effect: an I/O thread next to a CPU-bound one (why CPython's I/O threads lag)",
                    "CPython의 결정: python interpreter자체를 잠구자! -> 오직 한 thread만이 python 코드를 사용할 수 있음",
                    "CPython's decision: lock the interpreter itself. Only one thread can run Python code, so a thread "
                            + "back from I/O must wait for the lock too.");
            List<ConvoyExample.Row> convoy = ConvoyExample.measure(Duration.ofMillis(quick ? 300 : 1000));
            ConvoyExample.print(convoy);
            verdict(String.format("CPython's switch interval: p50 %.0f us per request; I/O priority: %.0f us; "
                            + "fair: %.0f us", convoy.get(0).p50Micros(), convoy.get(1).p50Micros(),
                    convoy.get(2).p50Micros()));
            if (report != null) {
                java.nio.file.Path traces = java.nio.file.Files.createTempDirectory("gil-tour-trace");
                for (java.nio.file.Path file : TraceExample.record(traces, 60)) {
                    if (file.toString().endsWith(".svg")) {
                        report.svg(java.nio.file.Files.readString(file));
                    }
                    java.nio.file.Files.delete(file);
                }
                java.nio.file.Files.delete(traces);
            }
        }

        private void section(String title, String korean, String english) {
            System.out.println();
            System.out.println(title); // the report shows it as the heading, so it is printed before capture
            if (report != null) {
                report.section(title, korean, english);
            }
        }

        private void verdict(String line) {
            System.out.println("   => " + line);
            if (report != null) {
                report.verdict(line);
            }
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

}
