package dev.gil.multiprocess.internal.wire;

import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Optional;

/**
 * The application's records and enums in {@link SmallValues}' encoding: a record as its class name and its
 * components, rebuilt through its canonical constructor (as Java serialization rebuilds a record); an enum as its class
 * name and the constant's name. Both ends check the class against {@link AllowedClasses} before it is loaded.
 *
 * <p>A record is packed only when Java serialization would have sent it the same way: it is {@code Serializable}, it
 * declares no {@code writeReplace} or {@code readResolve}, and its constructor and accessors can be reached (a record
 * in a named module that does not open its package goes by serialization).
 */
final class PackedTypes {
    private static final ClassValue<Optional<RecordShape>> SHAPES = new ClassValue<>() {
        @Override
        protected Optional<RecordShape> computeValue(Class<?> type) {
            return Optional.ofNullable(RecordShape.of(type));
        }
    };

    private PackedTypes() {}

    /** The shape of a record class that can be packed, or {@code null}. */
    static RecordShape recordShape(Class<?> type) {
        return type.isRecord() ? SHAPES.get(type).orElse(null) : null;
    }

    /** The enum class of a constant (a constant with a body has a class of its own), or {@code null}. */
    static Class<?> enumClass(Object value) {
        return value instanceof Enum<?> constant ? constant.getDeclaringClass() : null;
    }

    /**
     * The class of a packed record or enum, refused before it is loaded unless it is allowed.
     *
     * @throws InvalidClassException if the allow-list refuses it
     * @throws InvalidObjectException if there is no such class of that kind here
     */
    static Class<?> resolve(String name, boolean isRecord) throws InvalidClassException, InvalidObjectException {
        Class<?> type;
        try {
            AllowedClasses.check(name);
            type = AllowedClasses.load(name);
        } catch (ClassNotFoundException | LinkageError e) {
            throw (InvalidObjectException) new InvalidObjectException("a packed " + (isRecord ? "record" : "enum")
                    + " of a class this JVM cannot load: " + name).initCause(e);
        }
        boolean rightKind = isRecord ? type.isRecord() && Serializable.class.isAssignableFrom(type) : type.isEnum();
        if (!rightKind) {
            throw new InvalidObjectException("a packed " + (isRecord ? "serializable record" : "enum") + " of class "
                    + name + ", which is not one");
        }
        return type;
    }

    /** The constant of an enum by its name. */
    static Object enumConstant(Class<?> type, String constant) throws InvalidObjectException {
        try {
            return enumValue(type, constant); // resolve() checked that it is an enum
        } catch (IllegalArgumentException missing) {
            throw new InvalidObjectException("no constant " + constant + " in enum " + type.getName());
        }
    }

    /** {@link Enum#valueOf}, which looks the name up in the JDK's own table of the enum's constants. */
    private static <E extends Enum<E>> E enumValue(Class<?> type, String constant) {
        @SuppressWarnings("unchecked")
        Class<E> enumType = (Class<E>) type;
        return Enum.valueOf(enumType, constant);
    }

    /**
     * How to take a record apart and build it again: through core reflection rather than method handles, whose
     * first use spins classes a fresh child would wait for (tens of milliseconds for one record on JDK 17).
     */
    static final class RecordShape {
        private final Method[] accessors;
        private final Constructor<?> constructor;

        private RecordShape(Method[] accessors, Constructor<?> constructor) {
            this.accessors = accessors;
            this.constructor = constructor;
        }

        static RecordShape of(Class<?> type) {
            if (!Serializable.class.isAssignableFrom(type) || declares(type, "writeReplace")
                    || declares(type, "readResolve")) {
                return null;
            }
            try {
                RecordComponent[] components = type.getRecordComponents();
                Method[] accessors = new Method[components.length];
                Class<?>[] types = new Class<?>[components.length];
                for (int i = 0; i < components.length; i++) {
                    accessors[i] = components[i].getAccessor();
                    accessors[i].setAccessible(true);
                    types[i] = components[i].getType();
                }
                Constructor<?> canonical = type.getDeclaredConstructor(types);
                canonical.setAccessible(true);
                return new RecordShape(accessors, canonical);
            } catch (ReflectiveOperationException | RuntimeException unreachable) {
                return null; // a named module that does not open it: Java serialization can still send it
            }
        }

        private static boolean declares(Class<?> type, String method) {
            try {
                type.getDeclaredMethod(method);
                return true;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }

        /** The record's components, each read once. */
        Object[] components(Object record) {
            Object[] values = new Object[accessors.length];
            try {
                for (int i = 0; i < values.length; i++) {
                    values[i] = accessors[i].invoke(record);
                }
            } catch (IllegalAccessException impossible) {
                throw new IllegalStateException(impossible);
            } catch (InvocationTargetException e) {
                Throwable thrown = e.getCause();
                if (thrown instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                if (thrown instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("an accessor of " + record.getClass().getName() + " failed", thrown);
            }
            return values;
        }

        /** A record built by its canonical constructor, which may refuse the values as it would refuse them anywhere. */
        Object construct(Class<?> type, Object[] values) throws InvalidObjectException {
            if (values.length != accessors.length) {
                throw new InvalidObjectException("a packed " + type.getName() + " with " + values.length
                        + " components; it has " + accessors.length);
            }
            try {
                return constructor.newInstance(values);
            } catch (IllegalArgumentException wrongType) {
                throw (InvalidObjectException) new InvalidObjectException("a packed " + type.getName()
                        + " whose components do not fit its constructor: " + wrongType.getMessage())
                        .initCause(wrongType);
            } catch (InvocationTargetException refused) {
                throw (InvalidObjectException) new InvalidObjectException("the constructor of " + type.getName()
                        + " refused the packed components: " + refused.getCause()).initCause(refused.getCause());
            } catch (InstantiationException | IllegalAccessException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
