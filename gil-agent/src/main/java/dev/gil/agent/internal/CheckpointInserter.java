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
 *
 * <p>Optionally it also turns each call of a blocking JDK method ({@link BlockingCalls}) into a call of the static
 * helper in {@code dev.gil.agent.Blocking} that makes it with the lock released. The helper takes what the call took
 * (the receiver first) and returns what it returned, so again no stack, local or frame changes.
 */
public final class CheckpointInserter {
    /** The class and method the inserted calls invoke. */
    public static final String POLL_OWNER = "dev/gil/agent/Poll";
    public static final String POLL_METHOD = "poll";

    private CheckpointInserter() {}

    /**
     * Returns the class file with polls, or {@code null} if it has no method with code.
     *
     * @throws IllegalArgumentException if the class file is not whole (ASM reads what it needs and would turn a
     *     truncated file, which the JVM refuses, into a valid class), or ASM cannot read or write it
     */
    public static byte[] instrument(byte[] classFile) {
        return instrument(classFile, true, false);
    }

    /**
     * Returns the instrumented class file, or {@code null} if nothing changed.
     *
     * @param polls whether to insert polls
     * @param releaseAroundBlocking whether to release the lock around blocking JDK calls
     * @throws IllegalArgumentException as {@link #instrument(byte[])}
     */
    public static byte[] instrument(byte[] classFile, boolean polls, boolean releaseAroundBlocking) {
        ClassReader reader = new ClassReader(classFile);
        checkWhole(classFile, reader);
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
                if (polls) {
                    changed[0] = true;
                }
                return new PollingMethod(next, polls, polls && !name.equals("<init>") && !name.equals("<clinit>"),
                        releaseAroundBlocking, changed);
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : null;
    }

    /** Walks the class file's structure after the constant pool: it must end exactly where the bytes do. */
    private static void checkWhole(byte[] classFile, ClassReader reader) {
        if (classFile.length < 10 || u4(classFile, 0) != 0xCAFEBABE) {
            throw new IllegalArgumentException("not a class file: it does not start with 0xCAFEBABE");
        }
        int offset = reader.header + 6; // access flags, this class, super class
        offset += 2 + 2 * u2(classFile, offset); // interfaces
        for (int membersOfKind = 0; membersOfKind < 2; membersOfKind++) { // fields, then methods
            int count = u2(classFile, offset);
            offset += 2;
            for (int i = 0; i < count; i++) {
                offset = skipAttributes(classFile, offset + 6); // access flags, name, descriptor
            }
        }
        offset = skipAttributes(classFile, offset);
        if (offset != classFile.length) {
            throw new IllegalArgumentException("the class file has " + classFile.length
                    + " bytes but its structure ends at byte " + offset + ": it is truncated or padded");
        }
    }

    private static int skipAttributes(byte[] classFile, int offset) {
        int count = u2(classFile, offset);
        offset += 2;
        for (int i = 0; i < count; i++) {
            long end = offset + 6L + (u4(classFile, offset + 2) & 0xFFFF_FFFFL); // name index, length, info
            if (end > classFile.length) {
                throw new IllegalArgumentException("truncated class file: an attribute at byte " + offset
                        + " runs past its end (" + classFile.length + " bytes)");
            }
            offset = (int) end;
        }
        return offset;
    }

    private static int u2(byte[] classFile, int offset) {
        checkWithin(classFile, offset, 2);
        return ((classFile[offset] & 0xFF) << 8) | (classFile[offset + 1] & 0xFF);
    }

    private static int u4(byte[] classFile, int offset) {
        checkWithin(classFile, offset, 4);
        return (u2(classFile, offset) << 16) | u2(classFile, offset + 2);
    }

    private static void checkWithin(byte[] classFile, int offset, int length) {
        if (offset < 0 || offset + length > classFile.length) {
            throw new IllegalArgumentException("truncated class file: " + classFile.length + " bytes, byte " + offset
                    + " needed");
        }
    }

    /** Adds the polls to one method, and releases around its blocking calls. */
    private static final class PollingMethod extends MethodVisitor {
        private final boolean polls;
        private final boolean pollAtEntry;
        private final boolean releaseAroundBlocking;
        private final boolean[] changed;
        private final Set<Label> seen = new HashSet<>();

        PollingMethod(MethodVisitor next, boolean polls, boolean pollAtEntry, boolean releaseAroundBlocking,
                boolean[] changed) {
            super(Opcodes.ASM9, next);
            this.polls = polls;
            this.pollAtEntry = pollAtEntry;
            this.releaseAroundBlocking = releaseAroundBlocking;
            this.changed = changed;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            BlockingCalls.Helper helper = releaseAroundBlocking && opcode != Opcodes.INVOKESPECIAL
                    ? BlockingCalls.helperFor(opcode == Opcodes.INVOKESTATIC, owner, name, descriptor) : null;
            if (helper == null) {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            } else {
                changed[0] = true;
                super.visitMethodInsn(Opcodes.INVOKESTATIC, helper.owner(), name, helper.descriptor(), false);
            }
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
            if (polls && seen.contains(target)) {
                poll(); // a jump back to code already laid out: a loop
            }
            super.visitJumpInsn(opcode, target);
        }

        private void poll() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, POLL_OWNER, POLL_METHOD, "()V", false);
        }
    }
}
