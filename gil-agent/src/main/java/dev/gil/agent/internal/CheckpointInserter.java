package dev.gil.agent.internal;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inserts {@code Poll.poll()} at every method entry and before every backward jump (a loop's back-edge): the places
 * where CPython's eval loop, Ruby's VM and GraalPy check their breakers. The call takes no argument and returns
 * nothing, so the operand stack, the locals and the stack map frames are unchanged: the class verifies exactly as
 * before. Constructors get no entry poll (the receiver is not initialised there), only their loops' polls.
 */
public final class CheckpointInserter {
    /** The class and method the inserted calls invoke. */
    public static final String POLL_OWNER = "dev/gil/agent/Poll";
    public static final String POLL_METHOD = "poll";

    private CheckpointInserter() {}

    /** Returns the instrumented class file, or {@code null} if it has no method with code. */
    public static byte[] instrument(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] changed = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return next;
                }
                changed[0] = true;
                return new PollingMethod(next, !name.equals("<init>") && !name.equals("<clinit>"));
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : null;
    }

    /** Adds the polls to one method. */
    private static final class PollingMethod extends MethodVisitor {
        private final boolean pollAtEntry;
        private final Set<Label> seen = new HashSet<>();

        PollingMethod(MethodVisitor next, boolean pollAtEntry) {
            super(Opcodes.ASM9, next);
            this.pollAtEntry = pollAtEntry;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (pollAtEntry) {
                poll();
            }
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label target) {
            if (seen.contains(target)) {
                poll(); // a jump back to code already laid out: a loop
            }
            super.visitJumpInsn(opcode, target);
        }

        private void poll() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, POLL_OWNER, POLL_METHOD, "()V", false);
        }
    }
}
