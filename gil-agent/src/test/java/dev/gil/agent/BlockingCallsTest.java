package dev.gil.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.agent.internal.BlockingCalls;
import dev.gil.agent.internal.CheckpointInserter;
import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import example.io.BlockingCode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's {@code blocking=} rewriting, on a class rewritten here and loaded beside the original: a thread holding
 * the lock that blocks in a rewritten call lets it go, so another thread can take the lock and unblock it. Without the
 * rewriting each of these tests deadlocks (and fails on its bounded join).
 */
@Timeout(120)
class BlockingCallsTest {
    private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(60);

    private final GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("blocking").build();

    /** {@link BlockingCode}, rewritten to release around its blocking calls (and without polls). */
    private static final Class<?> REWRITTEN = rewritten();

    private static Class<?> rewritten() {
        try (InputStream in = BlockingCode.class.getResourceAsStream("BlockingCode.class")) {
            byte[] instrumented = CheckpointInserter.instrument(in.readAllBytes(), false, true);
            return new ClassLoader(BlockingCallsTest.class.getClassLoader()) {
                Class<?> define() {
                    return defineClass(BlockingCode.class.getName(), instrumented, 0, instrumented.length);
                }
            }.define();
        } catch (Exception e) {
            throw new AssertionError("cannot rewrite BlockingCode", e);
        }
    }

    private static Object call(String method, Object... args) throws Throwable {
        for (Method candidate : REWRITTEN.getMethods()) {
            if (candidate.getName().equals(method) && candidate.getParameterCount() == args.length) {
                try {
                    return candidate.invoke(null, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new AssertionError("no method " + method);
    }

    /** Runs {@code blocked} in a GilThread, and {@code unblock} in another once the first holds the lock. */
    private void blockThenUnblock(Callable blocked, Runnable unblock) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch holding = new CountDownLatch(1);
        GilThread first = new GilThread(gil, () -> {
            holding.countDown();
            try {
                result.set(blocked.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "blocked");
        first.start();
        holding.await();
        GilThread second = new GilThread(gil, unblock, "unblocker"); // needs the lock the first one holds
        second.start();
        first.join(JOIN_MILLIS);
        second.join(JOIN_MILLIS);
        assertThat(first.isAlive()).as("the blocked thread finished: it let the lock go while it blocked").isFalse();
        assertThat(second.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(gil.isLocked()).isFalse();
    }

    private interface Callable {
        Object call() throws Throwable;
    }

    @Test
    void anInterfaceCallOfBlockingQueueTakeLetsTheLockGo() throws Exception {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        blockThenUnblock(() -> call("take", queue), () -> queue.add("item"));
    }

    @Test
    void aVirtualCallOnAQueueClassLetsTheLockGo() throws Exception {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        blockThenUnblock(() -> call("takeLinked", queue), () -> queue.add("item"));
    }

    @Test
    void objectWaitLetsTheLockGo() throws Exception {
        Object monitor = new Object();
        AtomicBoolean done = new AtomicBoolean();
        BooleanSupplier isDone = done::get;
        blockThenUnblock(() -> call("waitUntil", monitor, isDone), () -> {
            synchronized (monitor) {
                done.set(true);
                monitor.notifyAll();
            }
        });
    }

    @Test
    void futureGetAndReadLineLetTheLockGo() throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();
        blockThenUnblock(() -> call("get", future), () -> future.complete("done"));

        PipedWriter writer = new PipedWriter();
        BufferedReader reader = new BufferedReader(new PipedReader(writer));
        blockThenUnblock(() -> call("readLine", reader), () -> {
            try {
                writer.write("a line\n");
                writer.flush();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void threadSleepLetsTheLockGoAndAnInterruptStillEndsIt() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch asleep = new CountDownLatch(1);
        GilThread sleeper = new GilThread(gil, () -> {
            asleep.countDown();
            try {
                call("sleep", TimeUnit.MINUTES.toMillis(10));
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "sleeper");
        sleeper.start();
        asleep.await();
        assertThat(gil.tryAcquire(Duration.ofSeconds(60))).as("the lock, while the holder sleeps").isTrue();
        sleeper.interrupt();
        gil.release();
        sleeper.join(JOIN_MILLIS);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(gil.isLocked()).isFalse();
    }

    @Test
    void aBlockingMethodCalledThroughReflectionLetsTheLockGo() throws Exception {
        Method take = BlockingQueue.class.getMethod("take");
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        blockThenUnblock(() -> call("invoke", take, queue, new Object[0]), () -> queue.add("item"));
        assertThat(BlockingCalls.isBlocking(LinkedBlockingQueue.class.getMethod("take"))).isTrue();
        assertThat(BlockingCalls.isBlocking(Thread.class.getMethod("sleep", long.class))).isTrue();
        assertThat(BlockingCalls.isBlocking(String.class.getMethod("length"))).isFalse();
    }

    @Test
    void withoutALockTheCallsJustHappen() throws Throwable {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(List.of("ready"));
        assertThat(call("take", queue)).isEqualTo("ready");
        call("sleep", 1L);
    }

    @Test
    void theLockItselfAndItsConditionsAreNeverReleasedAround() throws Exception {
        blockThenUnblock(() -> {
            call("lockAndUnlock", (Lock) gil); // reentrant: the holder takes it again and keeps it
            assertThat(gil.getHoldCount()).isEqualTo(1);
            return null;
        }, () -> { });

        Condition ready = gil.newCondition();
        AtomicBoolean done = new AtomicBoolean();
        BooleanSupplier isDone = done::get;
        blockThenUnblock(() -> call("await", ready, isDone), () -> {
            done.set(true);
            ready.signalAll();
        });
    }

    @Test
    void everyHelperNamedInTheTableExists() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, BlockingCalls.Helper> entry : BlockingCalls.table().entrySet()) {
            String call = entry.getKey();
            String name = call.substring(call.indexOf('.') + 1, call.indexOf('('));
            BlockingCalls.Helper helper = entry.getValue();
            Class<?> owner = Class.forName(helper.owner().replace('/', '.'));
            boolean found = false;
            for (Method method : owner.getMethods()) {
                String descriptor = MethodType.methodType(method.getReturnType(), method.getParameterTypes())
                        .toMethodDescriptorString();
                found |= Modifier.isStatic(method.getModifiers()) && method.getName().equals(name)
                        && descriptor.equals(helper.descriptor());
            }
            if (!found) {
                missing.add(call + " -> " + helper);
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void aClassSelectedOnlyForBlockingGetsNoPolls() throws Exception {
        try (InputStream in = BlockingCode.class.getResourceAsStream("BlockingCode.class")) {
            byte[] rewritten = CheckpointInserter.instrument(in.readAllBytes(), false, true);
            assertThat(new String(rewritten, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .contains(BlockingCalls.HELPER_OWNER).doesNotContain(CheckpointInserter.POLL_OWNER);
        }
        assertThatThrownBy(() -> call("take", (Object) null)).isInstanceOf(NullPointerException.class);
    }
}
