package dev.gil.python;

import dev.gil.agent.GilAgent;
import dev.gil.core.GilTrace;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.multiprocess.JvmProcess;
import dev.gil.multiprocess.SerializableCallable;
import dev.gil.python.internal.GilBridge;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import org.python.core.Py;
import org.python.core.PyException;
import org.python.core.PyList;
import org.python.core.PyString;
import org.python.core.PySystemState;
import org.python.util.PythonInterpreter;

/**
 * Runs a Python program on Jython, a Python 2.7 on the JVM with no GIL of its own: either as it is, where its threads
 * run truly in parallel, or under a {@link GlobalInterpreterLock} with the scheduler you choose, where they take turns
 * as CPython's do. The same {@code .py} file can so run three ways: on CPython, on Jython with no lock, and on Jython
 * under gil4j.
 *
 * <p>Under a lock, the runner does for Jython what CPython's interpreter does for its code: the main thread and every
 * thread started with {@code threading} or {@code thread} hold the lock while they run Python code; the running thread
 * checks the lock's breaker at every line and hands it over when the scheduler asks; and blocking calls let the lock
 * go while they block ({@code time.sleep}, {@code Thread.join}, {@code Lock}, {@code RLock}, {@code Condition},
 * {@code Semaphore} and {@code Event} waits, and with them {@code Queue}; {@code select}; socket {@code accept},
 * {@code connect}, {@code recv*} and {@code send*}). At the end the main thread waits for the other non-daemon
 * threads, as CPython's does.
 *
 * <p>The breaker check needs the gil4j agent, which puts a poll into Jython's compiled Python code
 * ({@code org.python.pycode.*}) at every loop back-edge and function entry, as CPython's eval loop checks its breaker:
 * run such programs in a JVM started with {@link #javaagentOption()}, or let {@link #runInChildJvm} start one. Without
 * the agent, {@link #underLock} refuses to run, since no thread would ever hand the lock over.
 *
 * <pre>{@code
 * Path program = SeedPrograms.extract("threads.py");   // or any .py file
 * GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair()).build();
 * int exit = PythonRunner.underLock(gil).run(program);   // in a JVM started with javaagentOption()
 * int free = PythonRunner.withoutLock().run(program);
 * int child = PythonRunner.runInChildJvm(program, PythonGil.FAIR);   // from any JVM
 * }</pre>
 *
 * <p>Each run has an interpreter of its own; runs may go on in several threads at once. The program's output goes to
 * the streams given to {@link #output}, {@code System.out} and {@code System.err} by default.
 */
public final class PythonRunner {
    private static final String PRELUDE = "/dev/gil/python/gil4j_prelude.py";
    /**
     * The agent's patterns: polls in Jython's compiled Python code; and the lock released around blocking JDK calls
     * that Python code makes through Jython's reflection ({@code PyReflectedFunction}: {@code queue.take()},
     * {@code Thread.sleep(n)} called on Java objects). Python's own blocking calls are the prelude's; the rest of
     * Jython's runtime is left alone, since it may block while holding locks of its own.
     */
    static final String INSTRUMENTED = "include=org.python.pycode.*;blocking=org.python.core.PyReflectedFunction";

    private static final String PARALLEL_COLLECTOR = "-XX:+UseParallelGC";

    private final GlobalInterpreterLock gil;
    private final PrintStream out;
    private final PrintStream err;

    private PythonRunner(GlobalInterpreterLock gil, PrintStream out, PrintStream err) {
        this.gil = gil;
        this.out = out;
        this.err = err;
    }

    /**
     * A runner with no lock: Jython as it is, where threads run Python code in parallel and races are real.
     *
     * @return the runner
     */
    public static PythonRunner withoutLock() {
        return new PythonRunner(null, null, null);
    }

    /**
     * A runner whose programs run under {@code gil}, in this JVM, which must run the gil4j agent with
     * {@link #javaagentOption()}'s patterns.
     *
     * @param gil the interpreter lock
     * @return the runner
     * @throws IllegalStateException if the agent does not run in this JVM; the message says how to start it
     */
    public static PythonRunner underLock(GlobalInterpreterLock gil) {
        Objects.requireNonNull(gil, "gil");
        if (!GilAgent.isRunning()) {
            throw new IllegalStateException("Python code under the lock '" + gil.name() + "' needs the gil4j agent "
                    + "for its eval breaker, or no thread would ever hand the lock over: start this JVM with "
                    + javaagentOption() + ", or use PythonRunner.runInChildJvm");
        }
        return new PythonRunner(gil, null, null);
    }

    /**
     * The JVM option that starts the gil4j agent on Jython's compiled Python code, for a JVM that runs
     * {@link #underLock}.
     *
     * @return {@code -javaagent:...=include=org.python.pycode.*;blocking=org.python.core.PyReflectedFunction}
     */
    public static String javaagentOption() {
        return GilAgent.javaagentOption(INSTRUMENTED);
    }

    /**
     * Runs a Python file in a child JVM started with the agent, under a new lock of the given choice (or none): what
     * {@code gil-examples python} does. The program's output reaches this JVM's standard streams line by line.
     *
     * @param script the {@code .py} file
     * @param gil the lock to run under
     * @param args the program's arguments
     * @return the program's exit status
     * @throws IllegalArgumentException if there is no readable file at {@code script} (no child is started)
     * @throws InterruptedException if interrupted while the child runs (it is killed)
     */
    public static int runInChildJvm(Path script, PythonGil gil, String... args) throws InterruptedException {
        return inChildJvm(script, gil, null, args);
    }

    /**
     * {@link #runInChildJvm}, and writes a trace of the lock for the whole run as Chrome Trace Event JSON: open it in
     * <a href="https://ui.perfetto.dev">Perfetto</a> to see, one track per Python thread, when each held the lock,
     * waited for it and blocked with it released.
     *
     * <pre>{@code
     * int status = PythonRunner.traceInChildJvm(program, PythonGil.SWITCH_INTERVAL, dir.resolve("python.json"));
     * }</pre>
     *
     * @param script the {@code .py} file
     * @param gil the lock to run under; not {@link PythonGil#OFF}
     * @param trace where to write the trace; its directory must exist
     * @param args the program's arguments
     * @return the program's exit status
     * @throws IllegalArgumentException if there is no readable file at {@code script}, or {@code gil} is
     *     {@code OFF} (no lock, nothing to trace); no child is started
     * @throws InterruptedException if interrupted while the child runs (it is killed)
     */
    public static int traceInChildJvm(Path script, PythonGil gil, Path trace, String... args)
            throws InterruptedException {
        Objects.requireNonNull(trace, "trace");
        if (gil == PythonGil.OFF) {
            throw new IllegalArgumentException("a run with no lock (" + gil.option() + ") has no lock to trace");
        }
        return inChildJvm(script, gil, trace.toAbsolutePath().toString(), args);
    }

    private static int inChildJvm(Path script, PythonGil gil, String trace, String... args)
            throws InterruptedException {
        if (!Files.isRegularFile(script) || !Files.isReadable(script)) {
            throw new IllegalArgumentException("no readable Python file at " + script.toAbsolutePath());
        }
        String file = script.toAbsolutePath().toString();
        String choice = gil.option();
        String[] arguments = args.clone();
        SerializableCallable<Integer> program = () -> runHere(file, choice, trace, arguments);
        // A parallel collector: Python code allocates an object per integer operation, and a child's default serial
        // collector (chosen for a fast start) would stop every thread to collect on one CPU.
        JvmProcess.Builder builder = JvmProcess.builder(program).name("python " + script.getFileName());
        if (gil == PythonGil.OFF) {
            builder.jvmOptions(PARALLEL_COLLECTOR);
        } else {
            builder.jvmOptions(PARALLEL_COLLECTOR, javaagentOption());
        }
        try (JvmProcess child = builder.build()) {
            child.start();
            try {
                child.join();
            } catch (InterruptedException e) {
                child.kill();
                throw e;
            }
            if (child.failure().isPresent()) {
                throw new IllegalStateException("the Python run in " + child.name() + " failed",
                        child.failure().get());
            }
            return (Integer) child.result();
        }
    }

    /** In the child JVM of {@link #runInChildJvm}; {@code trace} is a file to write the lock's trace to, or null. */
    static int runHere(String file, String choice, String trace, String[] args) throws IOException {
        GlobalInterpreterLock lock = PythonGil.of(choice).newLock();
        PythonRunner runner = lock == null ? withoutLock() : underLock(lock);
        if (trace == null) {
            return runner.run(Path.of(file), args);
        }
        GilTrace recording = lock.startTrace();
        try {
            return runner.run(Path.of(file), args);
        } finally {
            recording.stop();
            recording.writeChromeJson(Path.of(trace));
        }
    }

    /**
     * Returns a runner like this one whose programs print to the given streams.
     *
     * @param out the program's standard output
     * @param err the program's standard error, where an uncaught exception's traceback goes
     * @return the runner
     */
    public PythonRunner output(PrintStream out, PrintStream err) {
        return new PythonRunner(gil, Objects.requireNonNull(out, "out"), Objects.requireNonNull(err, "err"));
    }

    /**
     * Returns the lock programs run under.
     *
     * @return the lock, or {@code null} for a runner without one
     */
    public GlobalInterpreterLock gil() {
        return gil;
    }

    /**
     * Runs a Python file, with {@code sys.argv} set to the file and {@code args}.
     *
     * @param script the {@code .py} file
     * @param args the program's arguments
     * @return the exit status: 0, the code of {@code sys.exit(n)}, or 1 after an uncaught exception (its traceback
     *     printed to the error stream)
     * @throws IOException if the file cannot be read
     */
    public int run(Path script, String... args) throws IOException {
        String source = Files.readString(script, StandardCharsets.UTF_8);
        return runSource(source, script.toString(), args);
    }

    /**
     * Runs Python source code.
     *
     * @param source the program
     * @param name its file name, for tracebacks and {@code sys.argv[0]}
     * @param args the program's arguments
     * @return the exit status, as for {@link #run(Path, String...)}
     */
    public int runSource(String source, String name, String... args) {
        Objects.requireNonNull(source, "source");
        PySystemState state = new PySystemState();
        PyList argv = new PyList();
        argv.append(new PyString(name));
        for (String arg : args) {
            argv.append(new PyString(arg));
        }
        state.argv = argv;
        try (PythonInterpreter python = new PythonInterpreter(null, state)) {
            python.setOut(out != null ? out : System.out);
            python.setErr(err != null ? err : System.err);
            return gil == null ? execute(python, source, name) : executeUnderLock(python, source, name);
        }
    }

    private int executeUnderLock(PythonInterpreter python, String source, String name) {
        gil.acquire();
        try {
            python.set("_gil4j_bridge", new GilBridge(gil));
            python.exec(prelude());
            int status = execute(python, source, name);
            int joined = execute(python, "_gil4j_join_threads()", "<gil4j: waiting for threads>");
            return status != 0 ? status : joined;
        } finally {
            while (gil.isHeldByCurrentThread()) {
                gil.release();
            }
        }
    }

    private int execute(PythonInterpreter python, String source, String name) {
        try {
            python.exec(Py.compile_flags(source, name, org.python.core.CompileMode.exec, Py.getCompilerFlags()));
            return 0;
        } catch (PyException e) {
            if (e.match(Py.SystemExit)) {
                return exitStatus(e);
            }
            python.getSystemState().stderr.invoke("flush");
            e.printStackTrace(); // Jython prints the Python traceback to sys.stderr
            return 1;
        } finally {
            python.getSystemState().stdout.invoke("flush");
        }
    }

    private static int exitStatus(PyException exit) {
        org.python.core.PyObject code = exit.value instanceof org.python.core.PyBaseException
                ? exit.value.__findattr__("code") : exit.value;
        if (code == null || code == Py.None) {
            return 0;
        }
        return code.isInteger() ? code.asInt() : 1;
    }

    private static String prelude() {
        try (InputStream in = PythonRunner.class.getResourceAsStream(PRELUDE)) {
            if (in == null) {
                throw new IllegalStateException("the gil4j prelude " + PRELUDE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the gil4j prelude " + PRELUDE, e);
        }
    }

    static {
        // Jython reads its registry once, at first use; keep it from writing a cache of Java packages to disk.
        Properties properties = new Properties();
        properties.setProperty("python.cachedir.skip", "true");
        properties.setProperty("python.console.encoding", "UTF-8");
        PySystemState.initialize(System.getProperties(), properties, new String[0]);
    }
}
