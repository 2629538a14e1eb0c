package dev.gil.multiprocess.internal.child;

import dev.gil.multiprocess.internal.wire.AllowedClasses;
import dev.gil.multiprocess.internal.wire.LambdaByReference;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.Callable;

/**
 * A task sent {@linkplain LambdaByReference by reference} whose implementation is a static method (a lambda body
 * that captures no {@code this}, or a static method reference such as {@code Demo::doWork}), run in the child by
 * calling that method with the captured values instead of rebuilding the lambda.
 *
 * <p>Why: rebuilding goes through the capturing class's {@code $deserializeLambda$}, which links an
 * {@code invokedynamic}, and the first one a fresh JDK 17 JVM links starts the lambda machinery itself
 * (serializable or not, archived or not): a visible part of a trivial child's start and join. A reflective call
 * costs a fresh JVM nothing comparable. The task runs as it would have: the capturing class is initialised first, as
 * {@code $deserializeLambda$} would initialise it, the method gets exactly the captured values, a
 * {@code SerializableCallable}'s result is the method's, and an exception the method throws is the task's, not
 * wrapped.
 *
 * <p>What is checked, and why that is enough: the method must exist with exactly the kind, class, name and
 * descriptor the reference names, both classes must pass the deserialization filter, the method must be one the
 * capturing class itself may call under Java's access rules, and the captured values must fit its parameters.
 * Anything else, another functional interface or kind of method included, is rebuilt through
 * {@code $deserializeLambda$} as before, which succeeds or says clearly why not. That path checks more: that the
 * capturing class was compiled with that very lambda. The difference is no boundary anyone could cross: a task
 * reference reaches a child only on its control channel, whose one writer is the parent that started it (a pipe only
 * the parent holds, or a private socket behind a random token), and a parent that wants a child to call a method the
 * capturing class may call can send a genuine lambda that calls it.
 *
 * <p>Immutable once resolved; {@link #call()} runs the task on the calling thread.
 */
public final class DirectCall implements Callable<Object> {
    private static final int REF_INVOKE_STATIC = 6;
    private static final String RUNNABLE = "dev/gil/multiprocess/SerializableRunnable";
    private static final String CALLABLE = "dev/gil/multiprocess/SerializableCallable";

    private final Method method;
    private final Object[] arguments;
    private final boolean returnsResult;

    private DirectCall(Method method, Object[] arguments, boolean returnsResult) {
        this.method = method;
        this.arguments = arguments;
        this.returnsResult = returnsResult;
    }

    /**
     * The direct call a reference (its fields as {@link LambdaByReference} writes them) describes, or {@code null} if
     * it should be rebuilt through {@code $deserializeLambda$} instead: another functional interface or kind of
     * method, an implementation class the deserialization filter rejects, a method that does not exist exactly as
     * named or that the capturing class may not call, captured values that do not fit its parameters. The strict
     * path then rebuilds the lambda, or says clearly why it cannot.
     *
     * @throws ExceptionInInitializerError if the capturing class's static initialiser throws, as it would have
     *     thrown from {@code $deserializeLambda$}
     */
    public static DirectCall tryResolve(Class<?> capturing, String functionalInterface, String interfaceMethod,
            String interfaceSignature, int implMethodKind, String implClassName, String implMethodName,
            String implMethodSignature, Object[] captured) {
        boolean runnable = functionalInterface.equals(RUNNABLE) && interfaceMethod.equals("run")
                && interfaceSignature.equals("()V");
        boolean callable = functionalInterface.equals(CALLABLE) && interfaceMethod.equals("call")
                && interfaceSignature.equals("()Ljava/lang/Object;");
        if (!(runnable || callable) || implMethodKind != REF_INVOKE_STATIC) {
            return null;
        }
        Method method;
        try {
            ClassLoader loader = capturing.getClassLoader();
            String ownerName = implClassName.replace('/', '.');
            if (!AllowedClasses.allowed(ownerName)) {
                return null; // the strict path refuses it with the reason
            }
            Class<?> owner = Class.forName(ownerName, false, loader);
            // The JDK's own descriptor parser: MethodType is set up as the JVM boots, and parsing links nothing.
            MethodType type = MethodType.fromMethodDescriptorString(implMethodSignature, loader);
            method = owner.getDeclaredMethod(implMethodName, type.parameterArray());
            int modifiers = method.getModifiers();
            if (!Modifier.isStatic(modifiers) || method.getReturnType() != type.returnType()
                    || !mayCall(capturing, owner, modifiers) || !fits(captured, type)) {
                return null;
            }
            method.setAccessible(true);
        } catch (ClassNotFoundException | NoSuchMethodException | RuntimeException
                | LinkageError notDirectly) { // a malformed descriptor or a missing class among them
            return null;
        }
        initialise(capturing); // outside the fallback: its failure is the task's, as rebuilding would have made it
        return new DirectCall(method, captured, callable);
    }

    /** Runs the capturing class's static initialiser, as calling its {@code $deserializeLambda$} would have. */
    private static void initialise(Class<?> capturing) {
        try {
            Class.forName(capturing.getName(), true, capturing.getClassLoader());
        } catch (ClassNotFoundException impossible) {
            throw new IllegalStateException("the loaded class " + capturing.getName() + " cannot be found", impossible);
        }
    }

    /** Whether the values can be the arguments of a method of this type: boxed as it takes them, null for objects. */
    private static boolean fits(Object[] values, MethodType type) {
        if (values.length != type.parameterCount()) {
            return false;
        }
        MethodType boxed = type.wrap();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null ? type.parameterType(i).isPrimitive()
                    : !boxed.parameterType(i).isInstance(values[i])) {
                return false;
            }
        }
        return true;
    }

    /** Runs the task: the method's result for a callable, {@code null} for a runnable. */
    @Override
    public Object call() throws Exception {
        Object result;
        try {
            result = method.invoke(null, arguments);
        } catch (InvocationTargetException e) {
            Throwable thrown = e.getCause();
            if (thrown instanceof Exception) {
                throw (Exception) thrown;
            }
            if (thrown instanceof Error) {
                throw (Error) thrown;
            }
            throw new UndeclaredThrowableException(thrown);
        }
        return returnsResult ? result : null;
    }

    /**
     * Whether code in {@code caller} may call a static member of {@code owner} with {@code modifiers}, as the JVM
     * would let a lambda compiled into {@code caller} call it (the owner is a JDK value type or an application class,
     * so modules export it).
     */
    static boolean mayCall(Class<?> caller, Class<?> owner, int modifiers) {
        if (caller == owner) {
            return true;
        }
        if (Modifier.isPrivate(modifiers)) {
            return caller.getNestHost() == owner.getNestHost();
        }
        if (!isAccessibleClass(caller, owner)) {
            return false;
        }
        if (Modifier.isPublic(modifiers) || samePackage(caller, owner)) {
            return true;
        }
        return Modifier.isProtected(modifiers) && owner.isAssignableFrom(caller);
    }

    private static boolean isAccessibleClass(Class<?> caller, Class<?> owner) {
        for (Class<?> type = owner; type != null; type = type.getDeclaringClass()) {
            int modifiers = type.getModifiers();
            if (Modifier.isPrivate(modifiers) ? caller.getNestHost() != type.getNestHost()
                    : !Modifier.isPublic(modifiers) && !samePackage(caller, type)) {
                return false;
            }
        }
        return true;
    }

    private static boolean samePackage(Class<?> a, Class<?> b) {
        return a.getClassLoader() == b.getClassLoader() && a.getPackageName().equals(b.getPackageName());
    }
}
