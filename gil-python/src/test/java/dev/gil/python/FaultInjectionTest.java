package dev.gil.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.JvmProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python programs that go wrong on purpose: a syntax error, a thread that raises, a file that is not there, a run
 * interrupted while its child JVM spins. Each ends with a status or an exception that names the cause, and no child
 * JVM is left running.
 */
@Timeout(120)
class FaultInjectionTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void aSyntaxErrorEndsTheRunWithStatusOneAndSaysWhere() {
        int status = PythonRunner.withoutLock().output(print, print).runSource("def broken(:\n    pass\n", "broken.py");
        assertThat(status).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("SyntaxError", "broken.py");
    }

    @Test
    void aThreadThatRaisesPrintsItsTracebackAndTheProgramGoesOn() {
        String source = String.join("\n",
                "from __future__ import print_function",
                "import threading",
                "def boom():",
                "    raise ValueError('raised in a thread on purpose')",
                "t = threading.Thread(target=boom)",
                "t.start()",
                "t.join()",
                "print('main thread carried on')",
                "");
        int status = PythonRunner.withoutLock().output(print, print).runSource(source, "thread_raises.py");
        assertThat(status).as("as on CPython: a thread's exception does not end the program").isZero();
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("main thread carried on");
    }

    @Test
    void aFileThatIsNotThereIsNamedAndNoChildStarts(@TempDir Path dir) {
        Path missing = dir.resolve("missing.py");
        assertThatThrownBy(() -> PythonRunner.withoutLock().run(missing)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("missing.py");
        assertThatThrownBy(() -> PythonRunner.runInChildJvm(missing, PythonGil.FAIR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> PythonRunner.runInChildJvm(dir, PythonGil.OFF))
                .as("a directory").isInstanceOf(IllegalArgumentException.class);
        assertThat(JvmProcess.activeChildren()).isEmpty();
    }

    @Test
    void anInterruptedRunKillsItsChildJvm(@TempDir Path dir) throws Exception {
        Path spin = Files.writeString(dir.resolve("spin.py"), "while True:\n    pass\n");
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                PythonRunner.runInChildJvm(spin, PythonGil.SWITCH_INTERVAL);
                outcome.set(new AssertionError("the endless program returned"));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "python-runner");
        runner.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (JvmProcess.activeChildren().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        JvmProcess child = JvmProcess.activeChildren().get(0);
        runner.interrupt();
        runner.join(60_000);

        assertThat(runner.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(child.join(java.time.Duration.ofSeconds(30))).as("the child ended").isTrue();
        assertThat(child.exitCode()).as("killed").hasValue(-9);
        assertThat(JvmProcess.activeChildren()).doesNotContain(child);
    }
}
