package dev.gil.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gil.agent.internal.CheckpointInserter;
import example.cpu.Spin;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The rewriting on its own: where the polls go, and that the rewritten class computes what the original did. */
class CheckpointInserterTest {

    private static byte[] classFile(Class<?> type) throws Exception {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Method name to the number of polls in it. */
    private static List<String> polls(byte[] classFile) {
        List<String> found = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        if (owner.equals(CheckpointInserter.POLL_OWNER)) {
                            found.add(name);
                        }
                    }
                };
            }
        }, 0);
        return found;
    }

    @Test
    void pollsGoAtMethodEntriesAndLoopBackEdgesOnly() throws Exception {
        byte[] instrumented = CheckpointInserter.instrument(classFile(Spin.class));
        // spinFor: entry + its loop; checksum: entry + two loops; step: entry; the constructor: none (no loop)
        assertThat(polls(instrumented)).containsExactlyInAnyOrder("spinFor", "spinFor", "checksum", "checksum",
                "checksum", "step");
        assertThat(polls(classFile(Spin.class))).isEmpty();
    }

    @Test
    void theRewrittenClassVerifiesAndComputesTheSame() throws Exception {
        byte[] instrumented = CheckpointInserter.instrument(classFile(Spin.class));
        Class<?> rewritten = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass(Spin.class.getName(), instrumented, 0, instrumented.length);
            }
        }.define();
        Method checksum = rewritten.getMethod("checksum", int.class);
        assertThat(checksum.invoke(null, 12_345)).isEqualTo(Spin.checksum(12_345));
        assertThat((long) rewritten.getMethod("spinFor", long.class).invoke(null, 5L)).isPositive();
    }
}
