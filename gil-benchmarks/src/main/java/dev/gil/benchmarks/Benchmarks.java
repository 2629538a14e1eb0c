package dev.gil.benchmarks;

import dev.gil.benchmarks.jmh.HandoffBenchmark;
import dev.gil.benchmarks.jmh.HolderFastPathBenchmark;
import dev.gil.benchmarks.jmh.RefCountBenchmark;
import dev.gil.benchmarks.jmh.UncontendedAcquireBenchmark;
import dev.gil.core.HandoffScheduler;
import dev.gil.examples.Convoy;
import dev.gil.examples.CpuBoundExample;
import dev.gil.examples.IoBoundExample;
import dev.gil.examples.RaceConditionExample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmarks' command line.
 *
 * <pre>
 * java -jar gil-benchmarks/target/gil-benchmarks.jar --help                             # the subcommands
 * java -jar gil-benchmarks/target/gil-benchmarks.jar compare [--quick] [--peer PATH] [--out DIR]   # everything
 * java -jar gil-benchmarks/target/gil-benchmarks.jar core [--quick] [--peer PATH]   # gil-core vs CPython, one table
 * java -jar gil-benchmarks/target/gil-benchmarks.jar pool [--quick] [--peer PATH]   # ProcessPool vs CPython Pool(2)
 * java -jar gil-benchmarks/target/gil-benchmarks.jar seed [--quick] [--peer PATH]   # I/O threads, race, refcounts
 * java -jar gil-benchmarks/target/gil-benchmarks.jar agent                          # the gil4j agent's costs
 * java -jar gil-benchmarks/target/gil-benchmarks.jar cluster                        # ClusterPool on 2 local members
 * java -jar gil-benchmarks/target/gil-benchmarks.jar jmh [JMH options]              # the JMH microbenchmarks
 * </pre>
 */
public final class Benchmarks {
    private Benchmarks() {}

    /**
     * Runs a subcommand; {@code --help} lists them.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(BenchmarksCommand.commandLine().execute(args));
    }

    /** The rows the README shows, in its order; {@code compare} writes them as the page's first table. */
    static final List<String> HEADLINE = List.of(
            "CPU 2 GilThreads / 1 thread, switchInterval(5ms)",
            "convoy RTT p50, switchInterval(5ms)",
            "convoy RTT p50, ioPriority()",
            "uncontended acquire()+release()",
            "child JVM start+join, trivial task",
            "fresh script: child JVM start+join, trivial task, from a class directory",
            "fresh script: pool(2) to its first answer (map of 100 ints), from a class directory",
            "Connection ping-pong RTT p50, new ArrayList<>(List.of(\"ping\", 12345, 1.5))",
            "pool map x*x, 20k ints, default chunksize, 2 workers");

    /**
     * Everything in one run, one page: the core and multiprocess scenarios with the CPython peer, written to
     * {@code out} as {@code performance.md} (the README's headline rows, then every row), with
     * {@code performance/samples.jsonl} (every sample) and {@code performance/ratios.svg} (a bar chart of the ratios).
     *
     * @param command the command line, as the page quotes it
     */
    static String compare(boolean quick, PythonPeer peer, Path out, String command) throws Exception {
        Report report = new Report();
        core(report, quick, peer);
        ProcessRows.multiprocess(report, quick, peer);
        ProcessRows.pool(report, quick, peer);
        seed(report, quick, peer);
        agent(report, quick);
        cluster(report, quick);
        String page = PerformancePage.render(report, HEADLINE, command, machine(peer));
        Path details = out.resolve("performance");
        java.nio.file.Files.createDirectories(details);
        java.nio.file.Files.writeString(out.resolve("performance.md"), page);
        java.nio.file.Files.writeString(details.resolve("samples.jsonl"), report.jsonLines());
        java.nio.file.Files.writeString(details.resolve("ratios.svg"), report.svgChart("gil4j / baseline, same run"));
        progress("wrote " + out.toAbsolutePath() + "/performance.md and performance/{samples.jsonl,ratios.svg}");
        return page;
    }

    private static String machine(PythonPeer peer) {
        return String.format(Locale.ROOT, "Machine: %d CPUs, Java %s, %s; CPython: %s",
                Runtime.getRuntime().availableProcessors(), Runtime.version(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                peer.available() ? "gil_peer.py, same run" : peer.unavailableReason());
    }

    /** One part of the comparison. */
    interface Section {
        void run(Report report, boolean quick, PythonPeer peer) throws Exception;
    }

    /** Runs one part on its own and returns its table, with the machine it ran on. */
    static String section(boolean quick, PythonPeer peer, Section section) throws Exception {
        Report report = new Report();
        section.run(report, quick, peer);
        return String.format(Locale.ROOT, "%n%s%n%s%n", report.markdown(), machine(peer));
    }

    static void core(Report report, boolean quick, PythonPeer peer) throws Exception {
        int reps = quick ? 1 : 5;
        long cpuUnits = quick ? 10_000 : 150_000; // Work units, about a microsecond each
        Duration convoyDuration = quick ? Duration.ofMillis(200) : Duration.ofSeconds(1);
        int convoyReps = quick ? 1 : 3;
        int pingPongRounds = quick ? 2_000 : 20_000;

        progress("CPython peer: cpu and convoy, one repetition between each of ours ("
                + (peer.available() ? "running" : peer.unavailableReason()) + ")");
        PeerRepetitions cpython = new PeerRepetitions(peer);

        progress("hot paths: uncontended acquire+release and checkpoint() (JMH, short iterations)");
        Map<String, Samples> hot = JmhRows.run("(" + UncontendedAcquireBenchmark.class.getName() + "|"
                + HolderFastPathBenchmark.class.getName()
                + ")\\.(gil|reentrantLock|checkpointNobodyWaiting|volatileRead)$", quick);
        Samples timedAcquire = hot.get("gil instrumentation=timings");
        Samples tracedAcquire = hot.get("gil instrumentation=trace");
        Samples gilAcquire = hot.get("gil instrumentation=none");
        Samples reentrant = hot.get("reentrantLock instrumentation=none");
        double acquireRatio = gilAcquire.median() / reentrant.median();
        report.row("uncontended acquire()+release()", "ns", gilAcquire, Double.NaN, "ReentrantLock "
                + Report.format(reentrant.median()) + " ns", acquireRatio, "≤ 1.5× ReentrantLock", acquireRatio <= 1.5);
        Samples checkpoint = hot.get("checkpointNobodyWaiting");
        report.row("checkpoint(), nobody waiting", "ns", checkpoint, Double.NaN, "volatile read "
                + Report.format(hot.get("volatileRead").median()) + " ns", Double.NaN, "≤ 3 ns",
                checkpoint.median() <= 3);

        progress("handoff round trips");
        Samples fair = new Samples(reps);
        Samples parkUnpark = new Samples(reps);
        Samples spin = new Samples(reps);
        for (int r = 0; r < reps; r++) {
            fair.add(HandoffLatency.gilRoundTripP50(HandoffScheduler.fair(), pingPongRounds));
            parkUnpark.add(HandoffLatency.parkUnparkRoundTripP50(pingPongRounds));
            spin.add(HandoffLatency.spinRoundTripP50(pingPongRounds));
        }
        double fairRatio = fair.median() / parkUnpark.median();
        report.row("fair() handoff round trip p50", "ns", fair, Double.NaN,
                "park/unpark " + Report.format(parkUnpark.median()) + ", spin " + Report.format(spin.median()),
                fairRatio, "≤ 1.5× park/unpark", fairRatio <= 1.5);

        progress("contended handoff throughput with timings and with a trace (JMH, 5 forks each)");
        Map<String, Samples> handoffs = JmhRows.run(HandoffBenchmark.class.getName() + "\\.roundTrip$", quick, 5);
        double jmhPlain = handoffs.get("roundTrip instrumentation=none").median();
        double jmhTimed = handoffs.get("roundTrip instrumentation=timings").median() / jmhPlain;
        double jmhTraced = handoffs.get("roundTrip instrumentation=trace").median() / jmhPlain;
        progress("the same in pairs, back to back in this JVM");
        int pairs = quick ? 2 : 11;
        int rounds = quick ? 2_000 : 50_000;
        InstrumentationOverhead.Pairs timed = InstrumentationOverhead.measure("timings", pairs, rounds);
        InstrumentationOverhead.Pairs traced = InstrumentationOverhead.measure("trace", pairs, rounds);
        report.row("fair() handoff round trip, recordTimings(true), paired", "ns", timed.instrumented(), Double.NaN,
                "uninstrumented " + Report.format(timed.plain().median()) + " in the same pairs; JMH forks "
                        + Report.format(jmhTimed) + "×", timed.ratios().median(), "≤ 1.05×",
                timed.ratios().median() <= 1.05);
        report.row("fair() handoff round trip, trace running, paired", "ns", traced.instrumented(), Double.NaN,
                "uninstrumented " + Report.format(traced.plain().median()) + " in the same pairs; JMH forks "
                        + Report.format(jmhTraced) + "×", traced.ratios().median(), "≤ 1.10×",
                traced.ratios().median() <= 1.10);
        double timedExtra = timedAcquire.median() - gilAcquire.median();
        double tracedExtra = tracedAcquire.median() - gilAcquire.median();
        report.row("uncontended acquire()+release(), recordTimings(true)", "ns", timedAcquire, Double.NaN,
                "uninstrumented " + Report.format(gilAcquire.median()) + "; extra " + Report.format(timedExtra)
                        + " ns = two clock readings", timedAcquire.median() / gilAcquire.median(),
                "≤ +5 ns (so timings are opt-in)", timedExtra <= 5);
        report.row("uncontended acquire()+release(), trace running", "ns", tracedAcquire, Double.NaN,
                "uninstrumented " + Report.format(gilAcquire.median()) + "; extra " + Report.format(tracedExtra)
                        + " ns", tracedAcquire.median() / gilAcquire.median(), "reported", null);

        int manyThreads = quick ? 1_000 : 10_000;
        progress("virtual threads: " + manyThreads + " threads x 4 allowThreads(sleep 10 ms) under one lock");
        Samples[] manyRounds = VirtualThreadRounds.measure(manyThreads, quick ? 1 : 3);
        String manyFigure = String.format(Locale.ROOT, "%,d threads × 4 allowThreads(sleep 10 ms), one lock",
                manyThreads);
        if (manyRounds == null) {
            report.row(manyFigure + ", virtual threads (no JDK 21+ found)", "ms", new Samples(0), Double.NaN,
                    "set GIL4J_JDK21_HOME", Double.NaN, "reported", null);
        } else {
            Samples virtual = manyRounds[0];
            Samples platform = manyRounds[1];
            report.row(manyFigure + ", virtual threads", "ms", virtual, Double.NaN,
                    "platform GilThreads " + Report.format(platform.median()) + " ms; ideal "
                            + VirtualThreadRounds.SLEEPS * VirtualThreadRounds.SLEEP_MILLIS + " ms",
                    virtual.median() / platform.median(), "reported", null);
        }

        Map<String, HandoffScheduler> schedulers = new LinkedHashMap<>();
        schedulers.put("switchInterval(5ms)", HandoffScheduler.switchInterval(Duration.ofMillis(5)));
        schedulers.put("ioPriority()", HandoffScheduler.ioPriority());
        schedulers.put("fair()", HandoffScheduler.fair());
        schedulers.put("unfair()", HandoffScheduler.unfair());
        schedulers.put("eventuallyFair(1ms)", HandoffScheduler.eventuallyFair(Duration.ofMillis(1)));

        for (Map.Entry<String, HandoffScheduler> entry : schedulers.entrySet()) {
            progress("CPU-bound, 2 threads vs 1: " + entry.getKey());
            Samples speed = new Samples(reps);
            Samples single = new Samples(reps);
            CpuBoundExample.secondsOnGilThreads(entry.getValue(), 2, cpuUnits / 4); // warm-up, not counted
            for (int r = 0; r < reps; r++) {
                double one = CpuBoundExample.secondsOnGilThreads(entry.getValue(), 1, cpuUnits);
                double two = CpuBoundExample.secondsOnGilThreads(entry.getValue(), 2, cpuUnits);
                single.add(one);
                speed.add(one / two);
                cpython.runOnce(reps, "cpu", "--n", quick ? "2000000" : "20000000");
            }
            double cpythonCpu = cpython.median("cpu.speedup.threads_2");
            boolean targeted = entry.getKey().startsWith("switchInterval") || entry.getKey().startsWith("ioPriority");
            report.row("CPU 2 GilThreads / 1 thread, " + entry.getKey(), "× throughput", speed, cpythonCpu,
                    "1 thread " + Report.format(single.median()) + " s", speed.median(),
                    targeted ? "≥ 0.97" : "reported", targeted ? speed.median() >= 0.97 : null);
        }

        progress("convoy: no CPU thread (baseline)");
        Samples idle = new Samples(convoyReps);
        for (int r = 0; r < convoyReps; r++) {
            idle.add(Convoy.run(HandoffScheduler.switchInterval(Duration.ofMillis(5)), 0, convoyDuration).p50Micros());
        }
        for (Map.Entry<String, HandoffScheduler> entry : schedulers.entrySet()) {
            progress("convoy, 1 CPU thread: " + entry.getKey());
            Samples p50 = new Samples(convoyReps);
            Samples p90 = new Samples(convoyReps);
            Samples p99 = new Samples(convoyReps);
            Samples overInterval = new Samples(convoyReps);
            Samples rate = new Samples(convoyReps);
            for (int r = 0; r < convoyReps; r++) {
                Convoy.Result result = Convoy.run(entry.getValue(), 1, convoyDuration);
                p50.add(result.p50Micros());
                p90.add(result.p90Micros());
                p99.add(result.p99Micros());
                overInterval.add(result.overSwitchIntervalShare());
                rate.add(result.messagesPerSecond());
                cpython.runOnce(convoyReps, "convoy", "--duration", quick ? "0.2" : "1.0");
            }
            double cpythonConvoy = cpython.median("convoy.cpu1.rtt_p50");
            String name = entry.getKey();
            double ratio = p50.median() / cpythonConvoy;
            String baseline = "no CPU thread " + Report.format(idle.median()) + " µs; "
                    + Report.format(rate.median()) + " msg/s";
            if (name.startsWith("switchInterval")) {
                report.row("convoy RTT p50, " + name, "µs", p50, cpythonConvoy, baseline, ratio,
                        "0.7–1.3× CPython", ratio >= 0.7 && ratio <= 1.3);
                double cpythonP90 = cpython.median("convoy.cpu1.rtt_p90");
                report.row("convoy RTT p90, " + name, "µs", p90, cpythonP90, "", p90.median() / cpythonP90,
                        "reported", null);
                double cpythonP99 = cpython.median("convoy.cpu1.rtt_p99");
                double p99Ratio = p99.median() / cpythonP99;
                report.row("convoy RTT p99, " + name, "µs", p99, cpythonP99, "", p99Ratio, "0.7–1.3× CPython",
                        p99Ratio >= 0.7 && p99Ratio <= 1.3);
                double cpythonOver = cpython.median("convoy.cpu1.over_interval");
                report.row("convoy round trips ≥ 5 ms (one interval), " + name, "share", overInterval, cpythonOver,
                        "", cpythonOver > 0 ? overInterval.median() / cpythonOver : Double.NaN, "reported", null);
            } else if (name.equals("ioPriority()") || name.equals("fair()")) {
                report.row("convoy RTT p50, " + name, "µs", p50, cpythonConvoy, baseline, ratio,
                        "≤ 50 µs", p50.median() <= 50);
                report.row("convoy RTT p99, " + name, "µs", p99,
                        cpython.median("convoy.cpu1.rtt_p99"), "", Double.NaN, "≤ 500 µs",
                        p99.median() <= 500);
            } else {
                report.row("convoy RTT p50, " + name, "µs", p50, cpythonConvoy, baseline, ratio, "reported", null);
                report.row("convoy RTT p99, " + name, "µs", p99,
                        cpython.median("convoy.cpu1.rtt_p99"), "", Double.NaN, "reported", null);
            }
        }
    }

    static void seed(Report report, boolean quick, PythonPeer peer) throws Exception {
        int reps = quick ? 1 : 3;
        progress("I/O-bound threads and the increment race; CPython's io and race between each of our repetitions ("
                + (peer.available() ? "running" : peer.unavailableReason()) + ")");
        PeerRepetitions cpython = new PeerRepetitions(peer);
        int threads = 8;
        Samples io = new Samples(reps);
        int racers = 4;
        int increments = quick ? 100_000 : 1_000_000;
        int ways = 4; // no lock; the GIL; the GIL with a switch point inside; the GIL and a mutex
        List<Samples> lost = new ArrayList<>();
        List<Samples> nanos = new ArrayList<>();
        for (int way = 0; way < ways; way++) {
            lost.add(new Samples(reps));
            nanos.add(new Samples(reps));
        }
        List<RaceConditionExample.Row> names = RaceConditionExample.measure(racers, increments / 10); // warm-up
        for (int r = 0; r < reps; r++) {
            io.add(IoBoundExample.measure(threads, 4, 50).speedup());
            cpython.runOnce(reps, "io");
            List<RaceConditionExample.Row> rows = RaceConditionExample.measure(racers, increments);
            for (int way = 0; way < ways; way++) {
                lost.get(way).add(rows.get(way).lost());
                nanos.get(way).add(rows.get(way).nanosPerIncrement());
            }
            cpython.runOnce(reps, "race");
        }
        double cpythonIo = cpython.median("io.speedup.threads_8");
        report.row("I/O-bound: 8 GilThreads × 4 sleeps of 50 ms in allowThreads / one after another", "× speed", io,
                cpythonIo, "ideal 8", io.median() / cpythonIo, "reported", null);
        // The CPython variant of each way, and whether the way must lose nothing.
        String[] peerVariant = {null, "global_unlocked", "global_call_unlocked", "global_call_locked"};
        for (int way = 0; way < ways; way++) {
            String variant = peerVariant[way];
            double cpythonLost = variant == null ? Double.NaN : cpython.median("race." + variant + ".lost_updates");
            double cpythonNanos = variant == null ? Double.NaN
                    : cpython.median("race." + variant + ".ns_per_increment");
            double ours = nanos.get(way).median();
            boolean mustLoseNothing = way == 1 || way == 3;
            report.row("race: " + racers + " threads, " + names.get(way).name(), "lost", lost.get(way), cpythonLost,
                    Report.format(ours) + " ns/increment" + (variant == null ? ""
                            : " (CPython " + Report.format(cpythonNanos) + ")"),
                    ours / cpythonNanos, mustLoseNothing ? "0 lost" : "reported",
                    mustLoseNothing ? lost.get(way).max() == 0 : null);
        }

        progress("reference counts: ns per retain()+release() pair in every mode (JMH, short iterations)");
        Map<String, Samples> refCounts = JmhRows.run(RefCountBenchmark.class.getName() + ".oneThread", quick);
        Samples unsynchronized = refCounts.get("oneThread mode=UNSYNCHRONIZED");
        for (Map.Entry<String, Samples> entry : refCounts.entrySet()) {
            String mode = entry.getKey().substring(entry.getKey().indexOf('=') + 1);
            double ratio = entry.getValue().median() / unsynchronized.median();
            boolean atomic = mode.equals("ATOMIC");
            report.row("refcount retain+release, " + mode + ", one thread", "ns", entry.getValue(), Double.NaN,
                    "UNSYNCHRONIZED " + Report.format(unsynchronized.median()) + " ns", ratio,
                    atomic ? "≤ 1.5× UNSYNCHRONIZED" : "reported", atomic ? ratio <= 1.5 : null);
        }
    }

    static void cluster(Report report, boolean quick) throws Exception {
        if (quick) {
            progress("cluster rows skipped: --quick (starting Hazelcast members takes seconds)");
            return;
        }
        progress("ClusterPool on 2 member JVMs: CPU-bound 8 chunks, and tiny tasks beside ProcessPool(2)");
        int reps = 5;
        Samples speedup = new Samples(reps);
        Samples cluster = new Samples(reps);
        Samples processes = new Samples(reps);
        ClusterScenarios.run(reps, 50_000_000, 2_000, figures -> {
            speedup.add(figures.cpuSpeedup());
            cluster.add(figures.clusterTasksPerSecond());
            processes.add(figures.processPoolTasksPerSecond());
        });
        report.row("cluster CPU-bound 8 chunks on 2 local members / 1 thread", "× speed", speedup, Double.NaN,
                "2 cores: ideal 2", speedup.median() / 2, "≥ 1.6×", speedup.median() >= 1.6);
        report.row("cluster map x*x, chunksize 1 (per-task overhead)", "tasks/s", cluster, Double.NaN,
                "ProcessPool(2) " + Report.format(processes.median()) + " tasks/s",
                cluster.median() / processes.median(), "reported", null);
    }

    static void agent(Report report, boolean quick) throws Exception {
        if (quick) {
            progress("agent rows skipped: --quick (they need JVMs of their own, started with the agent)");
            return;
        }
        progress("gil4j agent: poll cost with nobody waiting (JMH), and a waiter's p50 under switchInterval(5ms)");
        Map<String, Samples> cost = AgentScenarios.pollCost();
        double ratio = cost.get("instrumented").median() / cost.get("plain").median();
        report.row("agent: tight loop instrumented, nobody waiting", "ns/1000 rounds", cost.get("instrumented"),
                Double.NaN, "uninstrumented " + Report.format(cost.get("plain").median()) + " ns", ratio, "≤ 1.1×",
                ratio <= 1.1);
        Samples released = cost.get("blockingCallReleased");
        report.row("agent: take+put that do not block, released around, lock held, nobody waiting", "ns",
                released, Double.NaN, "held throughout " + Report.format(cost.get("blockingCallPlain").median())
                        + " ns", released.median() / cost.get("blockingCallPlain").median(), "reported", null);
        Samples p50 = new Samples(3);
        for (int r = 0; r < 3; r++) {
            p50.add(AgentScenarios.handoffP50Micros(100));
        }
        double ofInterval = p50.median() / 5_000;
        report.row("agent: waiter p50 beside an uninstrumented-by-hand CPU loop, switchInterval(5ms)", "µs", p50,
                Double.NaN, "the interval, 5,000 µs", ofInterval, "0.7–1.3× the interval",
                ofInterval >= 0.7 && ofInterval <= 1.3);
    }

    static void progress(String step) {
        System.err.println("[gil-benchmarks] " + step);
    }
}
