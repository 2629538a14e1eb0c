package dev.gil.agent;

import dev.gil.agent.internal.CheckpointTransformer;
import dev.gil.agent.internal.ClassFilter;
import dev.gil.core.GlobalInterpreterLock;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java agent that makes code run under a {@link GlobalInterpreterLock} hand the lock over without calling
 * {@code checkpoint()}: the JVM's version of CPython's eval breaker. It inserts a cheap poll at every method entry and
 * loop back-edge of the classes you select; with nobody waiting on any lock the poll is one volatile read, and when a
 * scheduler has promised the lock the running thread holds to another thread, the poll hands it over.
 *
 * <pre>{@code
 * // java "-javaagent:gil-agent.jar=include=com.example.*;exclude=com.example.generated.*" -cp ... Main
 * GlobalInterpreterLock gil = GlobalInterpreterLock.create();
 * new GilThread(gil, Parser::parseEverything).start();  // no checkpoint() in the parser: it still takes turns
 * }</pre>
 *
 * <p>The argument lists include and exclude patterns, {@code ;}-separated, each a class name or a package followed by
 * {@code .*} (the package and everything under it). A {@code blocking=} pattern list selects classes whose calls of
 * blocking JDK methods ({@code Thread.sleep}, {@code BlockingQueue.take}, stream reads, {@code Future.get}...) are
 * made with the lock released, as CPython's C code releases the GIL around them; see {@link Blocking} for the list.
 * A class may get polls, released blocking calls, or both. The JDK's classes and gil4j's own are never instrumented. Classes
 * loaded before the agent started (when it is attached late) are retransformed. An include pattern that never matched
 * a class is reported (warning) when the JVM exits; a class the agent cannot rewrite stays as it was, with a warning.
 * Starting the agent twice is ignored with a warning: no class is instrumented twice.
 *
 * <p>Polls hand over whatever lock the current thread holds ({@link GlobalInterpreterLock#checkpointAnyHeld()}), with
 * no registration: several locks in one JVM each hand over at their own holders' polls, and code running without a
 * lock passes them at the cost of the read. Thread-safe.
 */
public final class GilAgent {
    private static final Logger logger = LoggerFactory.getLogger(GilAgent.class);
    private static volatile CheckpointTransformer transformer;

    private GilAgent() {}

    /**
     * Entry point of {@code -javaagent:gil-agent.jar=<patterns>}.
     *
     * @param arguments the include and exclude patterns
     * @param instrumentation the JVM's instrumentation
     */
    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation);
    }

    /**
     * Entry point when the agent is attached to a running JVM; classes already loaded are retransformed.
     *
     * @param arguments the include and exclude patterns
     * @param instrumentation the JVM's instrumentation
     */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation);
    }

    private static synchronized void start(String arguments, Instrumentation instrumentation) {
        if (transformer != null || instrumentation == null) {
            logger.warn("gil4j agent already running with {}; ignoring the second start with '{}'",
                    transformer.filter(), arguments);
            return;
        }
        ClassFilter filter = ClassFilter.parse(arguments);
        CheckpointTransformer installed = new CheckpointTransformer(filter);
        instrumentation.addTransformer(installed, true);
        transformer = installed;
        retransformLoaded(instrumentation, filter);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String pattern : filter.unmatchedIncludes()) {
                logger.warn("gil4j agent: include pattern '{}' matched no class", pattern);
            }
        }, "gil4j-agent-report"));
        logger.info("gil4j agent instrumenting {}", filter);
    }

    private static void retransformLoaded(Instrumentation instrumentation, ClassFilter filter) {
        if (!instrumentation.isRetransformClassesSupported()) {
            return;
        }
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (instrumentation.isModifiableClass(type) && !type.isHidden() && (filter.accepts(type.getName())
                    || filter.releasesAroundBlocking(type.getName()))) {
                loaded.add(type);
            }
        }
        for (Class<?> type : loaded) {
            try {
                instrumentation.retransformClasses(type);
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                logger.warn("gil4j agent: {} stays uninstrumented: {}", type.getName(), e.toString());
            }
        }
    }

    /**
     * Starts the agent in this running JVM, through the JDK's attach mechanism. Classes already loaded that the
     * patterns select are retransformed. If the agent already runs, a warning says the patterns are ignored.
     *
     * <pre>{@code
     * GilAgent.install(gil, "include=com.example.*");   // needs -Djdk.attach.allowAttachSelf=true
     * }</pre>
     *
     * <p>The JVM must allow it: since JDK 9 a JVM attaches to itself only when started with
     * {@code -Djdk.attach.allowAttachSelf=true} (and JDK 21 and later print a warning unless also started with
     * {@code -XX:+EnableDynamicAgentLoading}). Where it does not, start the JVM with
     * {@code -javaagent:gil-agent.jar=<patterns>} instead (for a child JVM: {@link #javaagentOption(String)}).
     *
     * @param gil a lock the polls will hand over (every lock is: the argument stays for code written when it mattered)
     * @param patterns the include and exclude patterns, as for {@code -javaagent}
     * @throws IllegalArgumentException if the patterns are malformed (the message names the bad part)
     * @throws IllegalStateException if this JVM cannot attach to itself; the message says what to do instead
     */
    public static void install(GlobalInterpreterLock gil, String patterns) {
        ClassFilter.parse(patterns); // fail here, with the reason, rather than inside the attach
        lock(gil);
        if (isRunning()) {
            start(patterns, null);
            return;
        }
        try {
            com.sun.tools.attach.VirtualMachine self =
                    com.sun.tools.attach.VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
            try {
                self.loadAgent(agentJar().toString(), patterns);
            } finally {
                self.detach();
            }
        } catch (java.io.IOException | com.sun.tools.attach.AttachNotSupportedException
                | com.sun.tools.attach.AgentLoadException | com.sun.tools.attach.AgentInitializationException e) {
            throw new IllegalStateException("cannot attach the gil4j agent to this JVM (" + e.getMessage() + "): "
                    + "start it with -Djdk.attach.allowAttachSelf=true, or with -javaagent:gil-agent.jar=" + patterns,
                    e);
        }
    }

    /**
     * Returns the JVM option that starts the agent in a child JVM with this JVM's class path, such as a
     * {@code JvmProcess}: {@code -javaagent:<jar>=<patterns>}. The jar is a small one made for the purpose (holding
     * only the agent's manifest: its classes come from the class path), unless the agent classes already come from
     * an agent jar.
     *
     * <pre>{@code
     * JvmProcess child = JvmProcess.builder(Demo::run)
     *         .jvmOptions(GilAgent.javaagentOption("include=com.example.*")).build();
     * }</pre>
     *
     * @param patterns the include and exclude patterns
     * @return the option
     * @throws IllegalArgumentException if the patterns are malformed
     */
    public static String javaagentOption(String patterns) {
        ClassFilter.parse(patterns);
        return "-javaagent:" + agentJar() + "=" + patterns;
    }

    private static synchronized java.nio.file.Path agentJar() {
        if (agentJar == null) {
            agentJar = AgentJar.locateOrCreate();
        }
        return agentJar;
    }

    private static java.nio.file.Path agentJar;

    /**
     * Does nothing: the inserted polls hand over whichever lock the running thread holds, with no registration (see
     * {@link GlobalInterpreterLock#checkpointAnyHeld()}). Kept so that code written when a lock had to be named still
     * compiles and runs.
     *
     * @param gil a lock, checked for null only
     */
    public static void lock(GlobalInterpreterLock gil) {
        Objects.requireNonNull(gil, "gil");
    }

    /**
     * Tells whether the agent is running in this JVM.
     *
     * @return {@code true} after {@code premain} or {@code agentmain}
     */
    public static boolean isRunning() {
        return transformer != null;
    }

    /**
     * Returns the names of the classes instrumented so far.
     *
     * @return a snapshot; empty when the agent is not running
     */
    public static Set<String> instrumentedClasses() {
        CheckpointTransformer running = transformer;
        return running == null ? Set.of() : running.instrumented();
    }

    /**
     * Returns the include patterns that matched no class so far.
     *
     * @return a snapshot; empty when the agent is not running
     */
    public static List<String> unmatchedIncludes() {
        CheckpointTransformer running = transformer;
        return running == null ? List.of() : running.filter().unmatchedIncludes();
    }
}
