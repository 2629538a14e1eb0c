package dev.gil.agent.internal;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The blocking JDK methods whose calls the agent releases the lock around, and the {@code dev.gil.agent.Blocking}
 * (or {@code BlockingIo}) method each call becomes. A call is matched by the owner javac wrote (the static type of the receiver), its name and
 * its descriptor; an instance method's helper takes the receiver as its first argument, typed as the group's
 * receiver. Owners are listed by name, never looked up: a class being transformed may not load others.
 *
 * <p>{@code Object.wait} matches on any owner, since no class can declare a {@code wait()} of its own. Calls through
 * reflection ({@code Method.invoke}, how Jython calls Java) go to a helper that asks {@link #isBlocking(Method)} at
 * run time, where the declaring class can be checked against each group's owners and their subtypes.
 */
public final class BlockingCalls {
    /** The class whose static methods replace the calls, but for I/O's. */
    public static final String HELPER_OWNER = "dev/gil/agent/Blocking";
    /** The class whose static methods replace I/O calls. */
    public static final String IO_HELPER_OWNER = "dev/gil/agent/BlockingIo";

    private static final String TIME_UNIT = "Ljava/util/concurrent/TimeUnit;";
    private static final String OBJECT = "Ljava/lang/Object;";

    /** A family of methods: their possible owners, the helpers' receiver type (null: static), name+descriptor. */
    private record Group(String receiver, List<String> owners, List<String> methods) {
        boolean isIo() {
            return receiver != null && (receiver.startsWith("java/io/") || receiver.startsWith("java/net/")
                    || receiver.startsWith("java/nio/"));
        }
    }

    private static final List<Group> GROUPS = List.of(
            new Group(null, List.of("java/lang/Thread"), List.of("sleep(J)V", "sleep(JI)V")),
            new Group("java/lang/Thread", List.of("java/lang/Thread", "dev/gil/core/GilThread"),
                    List.of("join()V", "join(J)V", "join(JI)V")),
            new Group("java/util/concurrent/TimeUnit", List.of("java/util/concurrent/TimeUnit"),
                    List.of("sleep(J)V")),
            new Group(null, List.of("java/util/concurrent/locks/LockSupport"), List.of("park()V",
                    "park(" + OBJECT + ")V", "parkNanos(J)V", "parkNanos(" + OBJECT + "J)V", "parkUntil(J)V",
                    "parkUntil(" + OBJECT + "J)V")),
            new Group("java/util/concurrent/locks/Condition", List.of("java/util/concurrent/locks/Condition",
                    "java/util/concurrent/locks/AbstractQueuedSynchronizer$ConditionObject", "dev/gil/core/GilCondition"),
                    List.of("await()V", "await(J" + TIME_UNIT + ")Z", "awaitNanos(J)J", "awaitUninterruptibly()V",
                            "awaitUntil(Ljava/util/Date;)Z")),
            new Group("java/util/concurrent/locks/Lock", List.of("java/util/concurrent/locks/Lock",
                    "java/util/concurrent/locks/ReentrantLock", "java/util/concurrent/locks/ReentrantReadWriteLock$ReadLock",
                    "java/util/concurrent/locks/ReentrantReadWriteLock$WriteLock"),
                    List.of("lock()V", "lockInterruptibly()V", "tryLock(J" + TIME_UNIT + ")Z")),
            new Group("java/util/concurrent/CountDownLatch", List.of("java/util/concurrent/CountDownLatch"),
                    List.of("await()V", "await(J" + TIME_UNIT + ")Z")),
            new Group("java/util/concurrent/Semaphore", List.of("java/util/concurrent/Semaphore"),
                    List.of("acquire()V", "acquire(I)V", "acquireUninterruptibly()V", "tryAcquire(J" + TIME_UNIT + ")Z")),
            new Group("java/util/concurrent/BlockingQueue", List.of("java/util/concurrent/BlockingQueue",
                    "java/util/concurrent/BlockingDeque", "java/util/concurrent/TransferQueue",
                    "java/util/concurrent/LinkedBlockingQueue", "java/util/concurrent/ArrayBlockingQueue",
                    "java/util/concurrent/SynchronousQueue", "java/util/concurrent/LinkedTransferQueue",
                    "java/util/concurrent/PriorityBlockingQueue", "java/util/concurrent/DelayQueue",
                    "java/util/concurrent/LinkedBlockingDeque"),
                    List.of("take()" + OBJECT, "put(" + OBJECT + ")V", "poll(J" + TIME_UNIT + ")" + OBJECT,
                            "offer(" + OBJECT + "J" + TIME_UNIT + ")Z")),
            new Group("java/util/concurrent/Future", List.of("java/util/concurrent/Future",
                    "java/util/concurrent/CompletableFuture", "java/util/concurrent/FutureTask",
                    "java/util/concurrent/ForkJoinTask"),
                    List.of("get()" + OBJECT, "get(J" + TIME_UNIT + ")" + OBJECT)),
            new Group("java/util/concurrent/CompletableFuture", List.of("java/util/concurrent/CompletableFuture"),
                    List.of("join()" + OBJECT)),
            new Group("java/lang/Process", List.of("java/lang/Process"),
                    List.of("waitFor()I", "waitFor(J" + TIME_UNIT + ")Z")),
            new Group("java/io/InputStream", List.of("java/io/InputStream", "java/io/FileInputStream",
                    "java/io/FilterInputStream", "java/io/BufferedInputStream", "java/io/DataInputStream",
                    "java/io/PushbackInputStream"),
                    List.of("read()I", "read([B)I", "read([BII)I", "readNBytes([BII)I", "readNBytes(I)[B",
                            "readAllBytes()[B")),
            new Group("java/io/Reader", List.of("java/io/Reader", "java/io/InputStreamReader", "java/io/BufferedReader",
                    "java/io/LineNumberReader"),
                    List.of("read()I", "read([C)I", "read([CII)I")),
            new Group("java/io/BufferedReader", List.of("java/io/BufferedReader", "java/io/LineNumberReader"),
                    List.of("readLine()Ljava/lang/String;")),
            new Group("java/net/ServerSocket", List.of("java/net/ServerSocket"),
                    List.of("accept()Ljava/net/Socket;")),
            new Group("java/net/Socket", List.of("java/net/Socket"),
                    List.of("connect(Ljava/net/SocketAddress;)V", "connect(Ljava/net/SocketAddress;I)V")),
            new Group("java/nio/channels/SocketChannel", List.of("java/nio/channels/SocketChannel"),
                    List.of("read(Ljava/nio/ByteBuffer;)I", "write(Ljava/nio/ByteBuffer;)I",
                            "connect(Ljava/net/SocketAddress;)Z")),
            new Group("java/nio/channels/ServerSocketChannel", List.of("java/nio/channels/ServerSocketChannel"),
                    List.of("accept()Ljava/nio/channels/SocketChannel;")),
            new Group("java/nio/channels/Selector", List.of("java/nio/channels/Selector"),
                    List.of("select()I", "select(J)I")));

    /** A call's helper: its class and descriptor, and whether the call it replaces is static. */
    public record Helper(String owner, String descriptor, boolean replacesStatic) {}

    /** {@code owner.name(descriptor)} of a call site to its helper. */
    private static final Map<String, Helper> HELPERS = helpers();

    /** Results of {@link #isBlocking(Method)}, per method. */
    private static final Map<Method, Boolean> REFLECTED = new ConcurrentHashMap<>();

    private BlockingCalls() {}

    private static Map<String, Helper> helpers() {
        Map<String, Helper> helpers = new HashMap<>();
        for (Group group : GROUPS) {
            for (String owner : group.owners()) {
                for (String method : group.methods()) {
                    int paren = method.indexOf('(');
                    String descriptor = method.substring(paren);
                    String helper = group.receiver() == null ? descriptor
                            : "(L" + group.receiver() + ";" + descriptor.substring(1);
                    helpers.put(owner + "." + method, new Helper(group.isIo() ? IO_HELPER_OWNER : HELPER_OWNER,
                            helper, group.receiver() == null));
                }
            }
        }
        return Map.copyOf(helpers);
    }

    /**
     * Every call the agent rewrites by its owner, name and descriptor ({@code java/lang/Thread.sleep(J)V}), with its
     * helper; {@code Object.wait} and {@code Method.invoke} are matched apart.
     *
     * @return the table
     */
    public static Map<String, Helper> table() {
        return HELPERS;
    }

    /**
     * The descriptor of the helper that replaces a call, or {@code null} if the call does not block.
     *
     * @param isStatic whether the call is {@code invokestatic}
     * @param owner the owner's internal name
     * @param name the method's name
     * @param descriptor the method's descriptor
     * @return the helper, a static method of the same name, or {@code null}
     */
    public static Helper helperFor(boolean isStatic, String owner, String name, String descriptor) {
        if (!isStatic && name.equals("wait") && (descriptor.equals("()V") || descriptor.equals("(J)V")
                || descriptor.equals("(JI)V"))) {
            return new Helper(HELPER_OWNER, "(" + OBJECT + descriptor.substring(1), false);
        }
        if (!isStatic && owner.equals("java/lang/reflect/Method") && name.equals("invoke")
                && descriptor.equals("(" + OBJECT + "[" + OBJECT + ")" + OBJECT)) {
            return new Helper(HELPER_OWNER, "(Ljava/lang/reflect/Method;" + OBJECT + "[" + OBJECT + ")" + OBJECT,
                    false);
        }
        Helper helper = HELPERS.get(owner + "." + name + descriptor);
        return helper != null && helper.replacesStatic() == isStatic ? helper : null;
    }

    /**
     * Tells whether a method called through reflection is one of the blocking methods: declared by one of a group's
     * owners or a subtype of one, with the same name and descriptor. Cached per method.
     *
     * @param method the method about to be invoked
     * @return {@code true} if the call blocks
     */
    public static boolean isBlocking(Method method) {
        return REFLECTED.computeIfAbsent(method, BlockingCalls::matches);
    }

    private static boolean matches(Method method) {
        String signature = method.getName()
                + MethodType.methodType(method.getReturnType(), method.getParameterTypes()).toMethodDescriptorString();
        boolean isStatic = Modifier.isStatic(method.getModifiers());
        if (!isStatic && method.getName().equals("wait") && method.getDeclaringClass() == Object.class) {
            return true;
        }
        for (Group group : GROUPS) {
            if ((group.receiver() == null) != isStatic || !group.methods().contains(signature)) {
                continue;
            }
            for (String owner : group.owners()) {
                Class<?> type = loaded(owner.replace('/', '.'));
                if (type != null && type.isAssignableFrom(method.getDeclaringClass())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Class<?> loaded(String name) {
        try {
            return Class.forName(name, false, BlockingCalls.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
