package dev.gil.multiprocess.internal;

import java.io.InvalidClassException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A task sent {@linkplain LambdaByReference by reference} whose implementation is a static method (a lambda body
 * that captures no {@code this}, or a static method reference such as {@code Demo::doWork}), run in the child by
 * calling that method with the captured values instead of rebuilding the lambda.
 *
 * <p>Why: rebuilding goes through the capturing class's {@code $deserializeLambda$}, which links an
 * {@code invokedynamic}, and the first one a fresh JDK 17 JVM links costs it 3-5 ms (the lambda machinery's own
 * start-up, serializable or not, archived or not): a tenth of a trivial child's start and join. A reflective call
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
final class DirectCall implements Callable<Object> {
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
    static DirectCall tryResolve(Class<?> capturing, String functionalInterface, String interfaceMethod,
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
            Class<?> owner = Class.forName(implClassName.replace('/', '.'), false, loader);
            SerialCodec.checkAllowed(owner);
            List<Class<?>> types = parseDescriptor(implMethodSignature, loader);
            if (types == null) {
                return null;
            }
            Class<?> returnType = types.remove(types.size() - 1);
            method = owner.getDeclaredMethod(implMethodName, types.toArray(new Class<?>[0]));
            int modifiers = method.getModifiers();
            if (!Modifier.isStatic(modifiers) || method.getReturnType() != returnType
                    || !mayCall(capturing, owner, modifiers) || !fits(captured, types)) {
                return null;
            }
            method.setAccessible(true);
        } catch (ClassNotFoundException | NoSuchMethodException | InvalidClassException | RuntimeException
                | LinkageError notDirectly) {
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

    private static boolean fits(Object[] values, List<Class<?>> types) {
        if (values.length != types.size()) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            Class<?> type = types.get(i);
            if (values[i] == null ? type.isPrimitive() : !box(type).isInstance(values[i])) {
                return false;
            }
        }
        return true;
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "boolean" -> Boolean.class;
            case "byte" -> Byte.class;
            case "char" -> Character.class;
            case "short" -> Short.class;
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "float" -> Float.class;
            default -> Double.class;
        };
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

    /** The parameter types of a method descriptor, then its return type, as the last element; null if malformed. */
    static List<Class<?>> parseDescriptor(String descriptor, ClassLoader loader) throws ClassNotFoundException {
        if (descriptor.isEmpty() || descriptor.charAt(0) != '(') {
            return null;
        }
        List<Class<?>> types = new ArrayList<>();
        int i = 1;
        boolean returnType = false;
        while (i < descriptor.length()) {
            if (descriptor.charAt(i) == ')' && !returnType) {
                returnType = true;
                i++;
                continue;
            }
            int end = endOfType(descriptor, i);
            if (end < 0) {
                return null;
            }
            String type = descriptor.substring(i, end);
            if (type.equals("V") && !(returnType && end == descriptor.length())) {
                return null; // void is only a return type
            }
            Class<?> resolved = typeOf(type, loader);
            if (resolved == null) {
                return null;
            }
            types.add(resolved);
            i = end;
        }
        return returnType && !types.isEmpty() && i == descriptor.length() ? types : null;
    }

    private static int endOfType(String descriptor, int start) {
        int i = start;
        while (i < descriptor.length() && descriptor.charAt(i) == '[') {
            i++;
        }
        if (i == descriptor.length()) {
            return -1;
        }
        char c = descriptor.charAt(i);
        if (c == 'L') {
            int semicolon = descriptor.indexOf(';', i);
            return semicolon < 0 || semicolon == i + 1 ? -1 : semicolon + 1;
        }
        boolean array = i > start;
        return "ZBCSIJFD".indexOf(c) >= 0 || c == 'V' && !array ? i + 1 : -1;
    }

    private static Class<?> typeOf(String type, ClassLoader loader) throws ClassNotFoundException {
        return switch (type.charAt(0)) {
            case 'Z' -> boolean.class;
            case 'B' -> byte.class;
            case 'C' -> char.class;
            case 'S' -> short.class;
            case 'I' -> int.class;
            case 'J' -> long.class;
            case 'F' -> float.class;
            case 'D' -> double.class;
            case 'V' -> void.class;
            case 'L' -> Class.forName(type.substring(1, type.length() - 1).replace('/', '.'), false, loader);
            case '[' -> Class.forName(type.replace('/', '.'), false, loader);
            default -> null;
        };
    }
}
