package dev.gil.multiprocess.internal.wire;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.util.Arrays;

/**
 * Code that runs in another JVM (a process's target, a pool's function or initializer): by reference where it can go
 * so, as pickle sends a function (see {@link LambdaByReference}), else serialized (see {@link SerialCodec}). The one
 * place that chooses, so that a child whose code is a method reference or a lambda of small values never starts Java
 * serialization, a fresh JVM's costliest first use.
 */
public final class CodeCodec {
    /** The form of code that went through Java serialization. */
    public static final byte SERIALIZED = 0;
    /** The form of a lambda sent by reference. */
    public static final byte BY_REFERENCE = 1;

    private CodeCodec() {}

    /**
     * Code in the form it travels in.
     *
     * @param form {@link #SERIALIZED} or {@link #BY_REFERENCE}
     * @param bytes what {@link #decode} reads back
     * @param movesConnections whether a captured {@code Connection} moves with it (the receiver then needs sockets)
     */
    public record Encoded(byte form, byte[] bytes, boolean movesConnections) {
        /** Whether the receiver needs Java serialization to read it. */
        public boolean serialized() {
            return form == SERIALIZED;
        }
    }

    /**
     * {@code code} by reference if it is a lambda that can go so, else serialized.
     *
     * @throws NotSerializableException if it is, or captures, something that is not serializable
     */
    public static Encoded encode(Object code) throws NotSerializableException {
        LambdaByReference.Reference reference = LambdaByReference.encode(code);
        if (reference != null) {
            return new Encoded(BY_REFERENCE, reference.bytes(), reference.movesConnections());
        }
        return new Encoded(SERIALIZED, SerialCodec.serialize(code), false);
    }

    /**
     * {@code code} as a child's target travels in its TASK frame: its form, then its bytes.
     */
    public static byte[] toTarget(Encoded code) {
        byte[] target = new byte[1 + code.bytes().length];
        target[0] = code.form();
        System.arraycopy(code.bytes(), 0, target, 1, code.bytes().length);
        return target;
    }

    /**
     * What a child runs for a target {@link #toTarget} described: as {@link #decode} reads it, except that a lambda
     * sent by reference whose implementation is a static method runs as a direct call, without a lambda linked (see
     * {@link LambdaByReference#decodeTask}).
     *
     * @throws InvalidObjectException if the target is empty or its form unknown, or as {@link #decode} throws
     * @throws ClassNotFoundException if a class it names is not on this JVM's class path
     */
    public static Object decodeTarget(byte[] target) throws IOException, ClassNotFoundException {
        if (target.length == 0) {
            throw new InvalidObjectException("an empty target");
        }
        byte[] bytes = Arrays.copyOfRange(target, 1, target.length);
        return target[0] == BY_REFERENCE ? LambdaByReference.decodeTask(bytes) : decode(target[0], bytes);
    }

    /**
     * The code {@link #encode} described: a lambda rebuilt, or an object deserialized, behind the same filter.
     *
     * @throws InvalidObjectException if the form is unknown, or as {@link LambdaByReference#decode} or
     *     {@link SerialCodec#deserialize} throw
     * @throws ClassNotFoundException if a class it names is not on this JVM's class path
     */
    public static Object decode(byte form, byte[] bytes) throws IOException, ClassNotFoundException {
        switch (form) {
            case BY_REFERENCE:
                return LambdaByReference.decode(bytes);
            case SERIALIZED:
                return SerialCodec.deserialize(bytes);
            default:
                throw new InvalidObjectException("unknown form of code: " + form);
        }
    }
}
