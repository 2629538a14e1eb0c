package dev.gil.multiprocess.internal.wire;

import dev.gil.multiprocess.Connection;
import dev.gil.multiprocess.internal.child.DirectCall;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a serializable lambda the way pickle sends a function: by reference. What travels is what Java serialization
 * would write for it, the {@link SerializedLambda}'s class and method names and its captured values, but in
 * {@link SmallValues}' encoding (a captured {@link Connection} as what its own serialized form carries, see
 * {@link ConnectionTransfers}); the receiver rebuilds the lambda through the capturing class's own
 * {@code $deserializeLambda$}, exactly as {@code SerializedLambda.readResolve} does (so only a lambda that class was
 * compiled with can be made), after the same deserialization filter has accepted the classes involved.
 *
 * <p>Why: a fresh JVM's first {@code ObjectInputStream} spends most of its first use in the class
 * initialisation of {@code ObjectInputFilter.Config}, which looks up the {@code System.Logger} backend and so scans
 * the class path. A child whose task is {@code Demo::doWork}, {@code () -> doWork(42, "x")} or
 * {@code () -> work(connection)} never pays it. A lambda that captures anything else (a user's object, a list) goes
 * through Java serialization as before.
 *
 * <p>A child runs a task whose implementation is a static method without rebuilding the lambda at all (see
 * {@link #decodeTask} and {@link DirectCall}): the first lambda a fresh JVM links starts the lambda machinery itself.
 */
public final class LambdaByReference {
    private static final String DESERIALIZE_LAMBDA = "$deserializeLambda$";
    private static final int FIELDS = 11;

    private LambdaByReference() {}

    /**
     * A lambda's reference form, and whether it moves a {@code Connection} (the child then prepares sockets early).
     *
     * @param bytes what {@link #decode} takes
     * @param movesConnections whether a captured value is a {@code Connection}
     */
    public record Reference(byte[] bytes, boolean movesConnections) {}

    /**
     * The reference form of {@code target}, or {@code null} if it is not a serializable lambda whose captured values
     * are all connections or values {@link SmallValues} takes, or its capturing class does not let us call
     * {@code $deserializeLambda$}. A captured connection moves out of this process, as serializing it would.
     *
     * @throws NotSerializableException if a captured connection cannot move (it was used here, closed, or sent)
     */
    public static Reference encode(Object target) throws NotSerializableException {
        Class<?> type = target.getClass();
        if (!type.isSynthetic()) {
            return null; // lambda proxies are synthetic; anything else is an ordinary serializable object
        }
        try {
            Method writeReplace = type.getDeclaredMethod("writeReplace");
            if (!writeReplace.trySetAccessible()) {
                return null;
            }
            Object replaced = writeReplace.invoke(target);
            if (!(replaced instanceof SerializedLambda)) {
                return null;
            }
            SerializedLambda lambda = (SerializedLambda) replaced;
            Class<?> capturing = Class.forName(binaryName(lambda.getCapturingClass()), false, type.getClassLoader());
            if (!capturing.getDeclaredMethod(DESERIALIZE_LAMBDA, SerializedLambda.class).trySetAccessible()) {
                return null;
            }
            Object[] captured = new Object[lambda.getCapturedArgCount()];
            List<Object> connectionSlots = new ArrayList<>();
            for (int i = 0; i < captured.length; i++) {
                captured[i] = lambda.getCapturedArg(i);
                if (captured[i] instanceof Connection) {
                    connectionSlots.add(i);
                } else if (SmallValues.encode(captured[i]) == null) {
                    return null; // checked before any connection moves out, so serialization can take over
                }
            }
            for (Object slot : connectionSlots) {
                int i = (Integer) slot;
                captured[i] = ConnectionTransfers.access().moveOut((Connection) captured[i]);
            }
            byte[] bytes = SmallValues.encode(new Object[] {lambda.getCapturingClass(),
                    lambda.getFunctionalInterfaceClass(), lambda.getFunctionalInterfaceMethodName(),
                    lambda.getFunctionalInterfaceMethodSignature(), lambda.getImplMethodKind(),
                    lambda.getImplClass(), lambda.getImplMethodName(), lambda.getImplMethodSignature(),
                    lambda.getInstantiatedMethodType(), captured, connectionSlots.toArray()});
            return new Reference(bytes, !connectionSlots.isEmpty());
        } catch (ObjectStreamException cannotMove) {
            throw SerialCodec.asNotSerializable(cannotMove, cannotMove.getMessage());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notByReference) {
            return null;
        }
    }

    /**
     * Rebuilds the lambda {@link #encode} described, resolving its capturing class as {@link SerialCodec} resolves
     * classes.
     *
     * @throws InvalidObjectException if the bytes are not such a description, the capturing class was not compiled
     *     with such a lambda, or the deserialization filter rejects a class involved
     * @throws ClassNotFoundException if the capturing class is not on this JVM's class path
     */
    public static Object decode(byte[] bytes) throws IOException, ClassNotFoundException {
        return rebuild(parse(bytes));
    }

    /**
     * What a child runs for a task {@link #encode} described: a {@link DirectCall} of its implementation method when
     * that is a static method the capturing class may call, so that no lambda is linked; else the lambda, rebuilt
     * as {@link #decode} rebuilds it.
     *
     * @throws InvalidObjectException as {@link #decode}
     * @throws ClassNotFoundException as {@link #decode}
     */
    public static Object decodeTask(byte[] bytes) throws IOException, ClassNotFoundException {
        Parsed parsed = parse(bytes);
        SerializedLambda lambda = parsed.lambda();
        DirectCall direct = DirectCall.tryResolve(parsed.capturing(), lambda.getFunctionalInterfaceClass(),
                lambda.getFunctionalInterfaceMethodName(), lambda.getFunctionalInterfaceMethodSignature(),
                lambda.getImplMethodKind(), lambda.getImplClass(), lambda.getImplMethodName(),
                lambda.getImplMethodSignature(), parsed.captured());
        return direct != null ? direct : rebuild(parsed);
    }

    /** A reference read back: its capturing class, the lambda it describes, and its captured values, connections live. */
    private record Parsed(Class<?> capturing, SerializedLambda lambda, Object[] captured) {}

    private static Parsed parse(byte[] bytes) throws IOException, ClassNotFoundException {
        Object decoded = SmallValues.decode(bytes);
        if (!(decoded instanceof Object[]) || ((Object[]) decoded).length != FIELDS) {
            throw new InvalidObjectException("not a lambda reference: " + describe(decoded));
        }
        Object[] fields = (Object[]) decoded;
        try {
            String capturingName = binaryName((String) fields[0]);
            AllowedClasses.check(capturingName); // before the class is loaded
            Class<?> capturing = Class.forName(capturingName, false, AllowedClasses.contextLoader());
            Object[] captured = (Object[]) fields[9];
            for (Object value : captured) {
                checkAllowedTree(value);
            }
            for (Object slot : (Object[]) fields[10]) {
                SerialCodec.checkAllowed(Connection.class);
                int i = (Integer) slot;
                captured[i] = ConnectionTransfers.access().moveIn((Object[]) captured[i]);
            }
            SerializedLambda lambda = new SerializedLambda(capturing, (String) fields[1], (String) fields[2],
                    (String) fields[3], (Integer) fields[4], (String) fields[5], (String) fields[6],
                    (String) fields[7], (String) fields[8], captured);
            return new Parsed(capturing, lambda, captured);
        } catch (ClassCastException | NullPointerException | ArrayIndexOutOfBoundsException malformed) {
            throw new InvalidObjectException("a malformed lambda reference: " + malformed);
        }
    }

    /** The lambda, through its capturing class's own {@code $deserializeLambda$}. */
    private static Object rebuild(Parsed parsed) throws InvalidObjectException {
        Class<?> capturing = parsed.capturing();
        SerializedLambda lambda = parsed.lambda();
        try {
            Method deserialize = capturing.getDeclaredMethod(DESERIALIZE_LAMBDA, SerializedLambda.class);
            deserialize.setAccessible(true);
            return deserialize.invoke(null, lambda);
        } catch (InvocationTargetException e) {
            throw invalid(lambda + " cannot be rebuilt by " + capturing.getName() + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw invalid(capturing.getName() + " cannot rebuild " + lambda + ": " + e, e);
        }
    }

    private static void checkAllowedTree(Object value) throws InvalidClassException {
        if (value == null) {
            return;
        }
        SerialCodec.checkAllowed(value.getClass());
        if (value instanceof Object[]) {
            for (Object element : (Object[]) value) {
                checkAllowedTree(element);
            }
        }
    }

    private static String binaryName(String internalName) {
        return internalName.replace('/', '.');
    }

    private static String describe(Object decoded) {
        return decoded == null ? "null" : decoded.getClass().getSimpleName();
    }

    private static InvalidObjectException invalid(String message, Throwable cause) {
        InvalidObjectException invalid = new InvalidObjectException(message);
        invalid.initCause(cause);
        return invalid;
    }
}
