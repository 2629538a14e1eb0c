package dev.gil.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gil.agent.internal.CheckpointTransformer;
import dev.gil.agent.internal.ClassFilter;
import example.cpu.Spin;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.slf4j.LoggerFactory;

/**
 * The agent's transformer fed what a JVM may hand it on a bad day: truncated and corrupt class files, a method that
 * the polls would push past the JVM's 64 KiB code limit, and many class loads at once. The JVM must never see a
 * half-made class or an exception from the agent: a class it cannot instrument is left as it was, with a warning
 * naming it, and runs.
 */
@Timeout(60)
class FaultInjectionTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger transformerLogger = (Logger) LoggerFactory.getLogger(CheckpointTransformer.class);
    private final CheckpointTransformer transformer = new CheckpointTransformer(ClassFilter.parse("include=example.*"));

    @BeforeEach
    void captureTheLog() {
        log.start();
        transformerLogger.addAppender(log);
    }

    @AfterEach
    void stopCapturing() {
        transformerLogger.detachAppender(log);
    }

    @Test
    void truncatedAndCorruptClassFilesAreLeftAloneWithAWarningNamingThem() throws Exception {
        byte[] spin = classFile(Spin.class);
        byte[] wrongMagic = spin.clone();
        wrongMagic[0] = 0;
        byte[] garbledPool = spin.clone();
        Arrays.fill(garbledPool, 10, Math.min(garbledPool.length, 200), (byte) 0xFF);
        List<byte[]> broken = List.of(new byte[0], Arrays.copyOf(spin, 9), Arrays.copyOf(spin, spin.length / 2),
                Arrays.copyOf(spin, spin.length - 1), wrongMagic, garbledPool);

        for (byte[] classFile : broken) {
            assertThat(transformer.transform(null, "example/cpu/Broken", null, null, classFile))
                    .as("a class file of %d bytes", classFile.length).isNull();
        }
        assertThat(warnings()).hasSize(broken.size())
                .allSatisfy(warning -> assertThat(warning).contains("example.cpu.Broken", "left uninstrumented"));
        assertThat(transformer.instrumented()).isEmpty();
    }

    @Test
    void aMethodThePollsWouldPushPastTheCodeLimitIsLeftAsItWasAndStillRuns() throws Exception {
        byte[] huge = classWithAMethodOfCodeBytes("example/cpu/Huge", 65_535);

        assertThat(transformer.transform(null, "example/cpu/Huge", null, null, huge)).isNull();
        assertThat(warnings()).singleElement().asString().contains("example.cpu.Huge", "left uninstrumented");

        Class<?> loaded = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass("example.cpu.Huge", huge, 0, huge.length);
            }
        }.define();
        Method run = loaded.getMethod("run");
        assertThat(run.invoke(null)).as("the original class runs").isEqualTo(7);
    }

    @Test
    void manyClassesTransformedAtOnceAllComeOutInstrumentedAndValid() throws Exception {
        byte[] spin = classFile(Spin.class);
        int threads = 8;
        int each = 200;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<byte[]>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<byte[]> out = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        out.add(transformer.transform(null, "example/cpu/Spin" + thread + "_" + i, null, null, spin));
                    }
                    return out;
                }));
            }
            List<byte[]> all = new ArrayList<>();
            for (Future<List<byte[]>> future : futures) {
                all.addAll(future.get(30, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(threads * each).doesNotContainNull();
            assertThat(all).allSatisfy(classFile -> assertThat(classFile).isEqualTo(all.get(0)));
            assertThat(transformer.instrumented()).hasSize(threads * each);
            assertThat(warnings()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
        byte[] instrumented = transformer.transform(null, "example/cpu/Spin", null, null, spin);
        Class<?> rewritten = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass(Spin.class.getName(), instrumented, 0, instrumented.length);
            }
        }.define();
        assertThat(rewritten.getMethod("checksum", int.class).invoke(null, 999)).isEqualTo(Spin.checksum(999));
    }

    private List<String> warnings() {
        return log.list.stream().filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static byte[] classFile(Class<?> type) throws Exception {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    /**
     * A class whose static {@code int run()} is exactly {@code codeBytes} long (the JVM's limit is 65,535): NOPs, then
     * {@code bipush 7; ireturn}. One poll at its entry adds three bytes.
     */
    private static byte[] classWithAMethodOfCodeBytes(String internalName, int codeBytes) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object", null);
        MethodVisitor run = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run", "()I", null, null);
        run.visitCode();
        for (int i = 0; i < codeBytes - 3; i++) {
            run.visitInsn(Opcodes.NOP);
        }
        run.visitIntInsn(Opcodes.BIPUSH, 7);
        run.visitInsn(Opcodes.IRETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }
}
