package dev.gil.benchmarks;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code compare} about child JVMs: a child's start, a {@code Connection}'s round trips and bulk
 * messages, and a {@code ProcessPool}'s start and throughput, warm and in a fresh script; each beside CPython's peer
 * run between our repetitions.
 */
final class ProcessRows {
    /** Round trips each message shape makes before its p50 is measured (a full run). */
    static final int RTT_WARM_UP_ROUNDS = 10_000;

    private ProcessRows() {}

    static void multiprocess(Report report, boolean quick, PythonPeer peer) throws Exception {
        int reps = quick ? 1 : 5;
        Benchmarks.progress("CPython peer: spawn and pipe, one repetition between each of ours ("
                + (peer.available() ? "running" : peer.unavailableReason()) + ")");
        PeerRepetitions cpython = new PeerRepetitions(peer);

        Benchmarks.progress("cold start + join of a child JVM, and a bare java -version");
        MultiprocessScenarios.coldStartMillis(); // warm-up: the first start pays for the OS page cache
        Samples start = new Samples(reps * 2);
        Samples bare = new Samples(reps * 2);
        for (int r = 0; r < reps * 2; r++) {
            // Measured as gil_peer.py measures CPython's spawn with --reps 1: one start untimed, then the timed one,
            // so that neither side's figure is a start straight after the other's processes ran.
            MultiprocessScenarios.coldStartMillis();
            start.add(MultiprocessScenarios.coldStartMillis());
            bare.add(MultiprocessScenarios.bareJvmMillis());
            cpython.runOnce(reps * 2, "spawn");
        }
        Benchmarks.progress("start-to-running, cold and warm (a JVM booted ahead of time)");
        Samples coldRunning = new Samples(reps * 2);
        Samples warmRunning = new Samples(reps * 2);
        MultiprocessScenarios.startToRunningMillis(true); // boots the first waiting JVM
        for (int r = 0; r < reps * 2; r++) {
            coldRunning.add(MultiprocessScenarios.startToRunningMillis(false));
            warmRunning.add(MultiprocessScenarios.startToRunningMillis(true));
        }
        dev.gil.multiprocess.ProcessContext.defaultContext().stopWarmStandby();
        Benchmarks.progress("pipe: ping-pong and 1 MiB messages, and dd | dd");
        int mebibytes = quick ? MultiprocessScenarios.BULK_BATCH : 4 * MultiprocessScenarios.BULK_BATCH;
        Samples rttP50 = new Samples(reps);
        Samples rttP99 = new Samples(reps);
        Samples throughput = new Samples(reps);
        Samples dd = new Samples(reps);
        Map<String, Samples> shapes = new LinkedHashMap<>();
        for (String shape : List.of("list", "dict", "record")) {
            shapes.put(shape, new Samples(reps));
        }
        // Steady state: a fresh child's echo and our send path reach C2 only after thousands of round trips (2,000
        // warm-up rounds measured JIT compilation: p50s of 50-110 µs that moved between runs). Cold first calls are
        // the fresh-script rows' business.
        int warmUpRounds = quick ? 1_000 : RTT_WARM_UP_ROUNDS;
        for (int r = 0; r < reps; r++) {
            Map<String, Double> shapeP50 = new HashMap<>();
            double[] pipe = MultiprocessScenarios.pingPongMicros(warmUpRounds, quick ? 500 : 2000, mebibytes,
                    shapeP50);
            shapeP50.forEach((shape, micros) -> shapes.get(shape).add(micros));
            rttP50.add(pipe[0]);
            rttP99.add(pipe[1]);
            throughput.add(pipe[2]);
            dd.add(MultiprocessScenarios.ddMebibytesPerSecond(mebibytes));
            cpython.runOnce(reps, "pipe");
        }
        double cpythonSpawn = cpython.median("spawn.spawn.start_join");
        report.row("child JVM start+join, trivial task", "ms", start, cpythonSpawn,
                "bare java -version " + Report.format(bare.median()) + " ms", start.median() / cpythonSpawn,
                "≤ 1.0× CPython spawn", start.median() <= cpythonSpawn);
        double cpythonFork = cpython.median("spawn.fork.start_join");
        report.row("start-to-running, warmStart(true)", "ms", warmRunning, cpythonFork,
                "cold start-to-running " + Report.format(coldRunning.median()) + " ms",
                warmRunning.median() / cpythonFork, "≤ 5 ms (CPython fork start+join)", warmRunning.median() <= 5);
        double cpythonRtt = cpython.median("pipe.rtt_p50");
        report.row("Connection ping-pong RTT p50", "µs", rttP50, cpythonRtt, "p99 " + Report.format(rttP99.median())
                + " µs (CPython " + Report.format(cpython.median("pipe.rtt_p99")) + "); after "
                + Report.format(warmUpRounds) + " warm-up round trips per shape",
                rttP50.median() / cpythonRtt, "≤ 1.0× CPython", rttP50.median() <= cpythonRtt);
        Map<String, String> javaShape = Map.of("list", "new ArrayList<>(List.of(\"ping\", 12345, 1.5))",
                "dict", "HashMap {id, name, tags: ArrayList, score}", "record", "a record");
        for (Map.Entry<String, Samples> shape : shapes.entrySet()) {
            boolean record = shape.getKey().equals("record");
            double theirs = cpython.median("pipe.rtt_p50_" + (record ? "dict" : shape.getKey()));
            double ratio = shape.getValue().median() / theirs;
            report.row("Connection ping-pong RTT p50, " + javaShape.get(shape.getKey()), "µs", shape.getValue(), theirs,
                    record ? "CPython's column: its dict" : "CPython " + shape.getKey(), ratio,
                    record ? "reported" : "≤ 1.0× CPython", record ? null : ratio <= 1.0);
        }
        double cpythonBytes = cpython.median("pipe.send_bytes_1MiB");
        report.row("sendBytes 1 MiB messages", "MiB/s", throughput, cpythonBytes,
                "dd|dd " + Report.format(dd.median()) + " MiB/s (" + Report.format(throughput.median() / dd.median())
                        + "×)", throughput.median() / cpythonBytes, "≥ 1.0× CPython and ≥ 0.7× dd",
                throughput.median() >= cpythonBytes && throughput.median() >= 0.7 * dd.median());
    }

    static void pool(Report report, boolean quick, PythonPeer peer) throws Exception {
        int reps = quick ? 1 : 5;
        Benchmarks.progress("ProcessPool(2): map of x*x over 20,000 ints, and CPU-bound work in 8 chunks; CPython's Pool(2) "
                + "between each of our repetitions (" + (peer.available() ? "running" : peer.unavailableReason()) + ")");
        PeerRepetitions cpython = new PeerRepetitions(peer);
        Samples trivial = new Samples(reps * 3);
        Samples one = new Samples(reps);
        Samples speedup = new Samples(reps);
        PoolScenarios.run(reps, quick ? 5_000_000 : 50_000_000, figures -> {
            figures.defaultChunksize().forEach(trivial::add);
            one.add(figures.chunksize1());
            speedup.add(figures.cpuSpeedup());
            cpython.runOnce(reps, "pool");
        });
        double cpythonTrivial = cpython.median("pool.map_trivial.chunksize_default");
        report.row("pool map x*x, 20k ints, default chunksize, 2 workers", "tasks/s", trivial, cpythonTrivial, "",
                trivial.median() / cpythonTrivial, "≥ 1.0× CPython", trivial.median() >= cpythonTrivial);
        double cpythonOne = cpython.median("pool.map_trivial.chunksize_1");
        report.row("pool map x*x, 20k ints, chunksize 1, 2 workers", "tasks/s", one, cpythonOne, "",
                one.median() / cpythonOne, "≥ 1.0× CPython", one.median() >= cpythonOne);
        double cpythonSpeedup = cpython.median("pool.cpu_count.speedup");
        report.row("pool CPU-bound 8 chunks on 2 workers / 1 thread", "× speed", speedup, cpythonSpeedup,
                "2 cores: ideal 2", speedup.median() / 2, "≥ 1.8×", speedup.median() >= 1.8);

        Benchmarks.progress("a user's script in a fresh JVM, from a jar and from a class directory: a ProcessPool(2) to its first "
                + "answer, then maps of 20k ints; a child started and joined; CPython's Pool(2) between each");
        Map<FreshScript.ClassPath, Samples> poolStart = new EnumMap<>(FreshScript.ClassPath.class);
        Map<FreshScript.ClassPath, Samples> childStart = new EnumMap<>(FreshScript.ClassPath.class);
        Samples freshDefault = new Samples(reps);
        Samples freshOne = new Samples(reps);
        FreshScript.run(FreshScript.ClassPath.JAR, "process"); // the first start pays for the OS page cache
        for (int r = 0; r < reps; r++) {
            for (FreshScript.ClassPath classPath : FreshScript.ClassPath.values()) {
                double[] pool = FreshScript.run(classPath, "pool");
                poolStart.computeIfAbsent(classPath, kind -> new Samples(reps)).add(pool[0]);
                if (classPath == FreshScript.ClassPath.CLASS_DIRECTORY) {
                    freshDefault.add(pool[1]);
                    freshOne.add(pool[2]);
                }
                childStart.computeIfAbsent(classPath, kind -> new Samples(reps))
                        .add(FreshScript.run(classPath, "process")[0]);
            }
            cpython.runOnce(reps, "pool_start");
            cpython.runOnce(reps, "spawn");
        }
        double cpythonSpawnPool = cpython.median("pool.start.spawn_ms");
        double cpythonSpawn = cpython.median("spawn.spawn.start_join");
        for (FreshScript.ClassPath classPath : FreshScript.ClassPath.values()) {
            String from = classPath == FreshScript.ClassPath.JAR ? "from a jar" : "from a class directory";
            Samples started = poolStart.get(classPath);
            report.row("fresh script: pool(2) to its first answer (map of 100 ints), " + from, "ms", started,
                    cpythonSpawnPool, "CPython fork " + Report.format(cpython.median("pool.start.fork_ms")) + " ms",
                    started.median() / cpythonSpawnPool, "≤ 1.0× CPython spawn", started.median() <= cpythonSpawnPool);
            Samples child = childStart.get(classPath);
            report.row("fresh script: child JVM start+join, trivial task, " + from, "ms", child, cpythonSpawn, "",
                    child.median() / cpythonSpawn, "≤ 1.0× CPython spawn", child.median() <= cpythonSpawn);
        }
        report.row("fresh script: pool map x*x, 20k ints, default chunksize, after one warm-up map, from a class "
                + "directory", "tasks/s", freshDefault, cpythonTrivial, "", freshDefault.median() / cpythonTrivial,
                "≥ 1.0× CPython", freshDefault.median() >= cpythonTrivial);
        report.row("fresh script: pool map x*x, 20k ints, chunksize 1, after one warm-up map, from a class directory",
                "tasks/s", freshOne, cpythonOne, "", freshOne.median() / cpythonOne, "≥ 1.0× CPython",
                freshOne.median() >= cpythonOne);
    }
}
