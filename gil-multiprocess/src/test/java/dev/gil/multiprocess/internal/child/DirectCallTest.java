package dev.gil.multiprocess.internal.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.SerializableCallable;
import dev.gil.multiprocess.SerializableRunnable;
import dev.gil.multiprocess.internal.wire.LambdaByReference;
import dev.gil.multiprocess.internal.wire.LambdaByReferenceTest;
import dev.gil.multiprocess.internal.wire.SmallValues;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DirectCallTest {
    private static final AtomicInteger calls = new AtomicInteger();

    static void countCall() {
        calls.incrementAndGet();
    }

    static long fortyTwo() {
        return 42;
    }

    static void failWith(String message) throws IOException {
        throw new IOException(message);
    }

    static void failWithAnError() {
        throw new AssertionError("an error in the task");
    }

    private static Object taskOf(Object target) throws Exception {
        return LambdaByReference.decodeTask(LambdaByReference.encode(target).bytes());
    }

    @Test
    void aStaticMethodReferenceRunsWithoutRebuildingTheLambda() throws Exception {
        Object task = taskOf((SerializableRunnable) DirectCallTest::countCall);
        assertThat(task).isInstanceOf(DirectCall.class);
        int before = calls.get();
        assertThat(((DirectCall) task).call()).as("a runnable's result").isNull();
        assertThat(calls.get()).isEqualTo(before + 1);
    }

    @Test
    void aCallableGetsTheMethodsResultBoxedAndARunnableNothing() throws Exception {
        assertThat(((DirectCall) taskOf((SerializableCallable<Long>) DirectCallTest::fortyTwo)).call()).isEqualTo(42L);
        assertThat(((DirectCall) taskOf((SerializableRunnable) DirectCallTest::fortyTwo)).call()).isNull();
    }

    @Test
    void whatTheTaskThrowsIsThrownAsItIsNotWrapped() throws Exception {
        String message = "a failure in the task";
        DirectCall failing = (DirectCall) taskOf((SerializableRunnable) () -> failWith(message));
        assertThatThrownBy(failing::call).isExactlyInstanceOf(IOException.class).hasMessage(message);
        DirectCall erring = (DirectCall) taskOf((SerializableRunnable) DirectCallTest::failWithAnError);
        assertThatThrownBy(erring::call).isExactlyInstanceOf(AssertionError.class).hasMessage("an error in the task");
    }

    @Test
    void otherKindsOfMethodAreRebuiltAsBefore() throws Exception {
        String text = "héllo";
        SerializableCallable<Integer> boundReceiver = text::length; // an instance method: invokeVirtual
        Object task = taskOf(boundReceiver);
        assertThat(task).isNotInstanceOf(DirectCall.class).isInstanceOf(SerializableCallable.class);
        assertThat(((SerializableCallable<?>) task).call()).isEqualTo(5);
        SerializableCallable<Long> jdkMethod = System::nanoTime; // however it runs, it runs
        assertThat(run(taskOf(jdkMethod))).isInstanceOf(Long.class);
    }

    @Test
    void aForgedReferenceThatNamesNoSuchMethodFailsOnTheStrictPath() throws Exception {
        Object[] fields = LambdaByReferenceTest.fieldsOf(DirectCallTest::countCall);
        fields[6] = "failWith"; // exists, but takes a String: there is no failWith()V
        assertThatThrownBy(() -> LambdaByReference.decodeTask(SmallValues.encode(fields)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("cannot be rebuilt");
    }

    @Test
    void aForgedReferenceReachesOnlyMethodsTheCapturingClassMayCall() throws Exception {
        // What the direct path promises (see DirectCall): a method the capturing class may call, runs...
        Object[] callable = LambdaByReferenceTest.fieldsOf(DirectCallTest::countCall);
        callable[6] = "fortyTwo";
        callable[7] = "()J";
        assertThat(LambdaByReference.decodeTask(SmallValues.encode(callable))).isInstanceOf(DirectCall.class);
        // ...one it may not call goes to the strict path, which refuses it: no lambda of the class refers to it.
        Object[] hidden = LambdaByReferenceTest.fieldsOf(DirectCallTest::countCall);
        hidden[5] = "dev/gil/multiprocess/internal/Hidden";
        hidden[6] = "secret";
        assertThatThrownBy(() -> LambdaByReference.decodeTask(SmallValues.encode(hidden)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("cannot be rebuilt");
        assertThat(Hidden.called).isFalse();
    }

    @Test
    void capturedValuesThatDoNotFitTheParametersGoToTheStrictPath() throws Exception {
        String text = "x";
        Object[] fields = LambdaByReferenceTest.fieldsOf(() -> failWith(text));
        ((Object[]) fields[9])[0] = 12345; // an Integer where the method takes a String
        assertThatThrownBy(() -> LambdaByReference.decodeTask(SmallValues.encode(fields)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("cannot be rebuilt");
    }

    @Test
    void mayCallFollowsJavasAccessRules() throws Exception {
        int privateStatic = Modifier.PRIVATE | Modifier.STATIC;
        int packageStatic = Modifier.STATIC;
        int publicStatic = Modifier.PUBLIC | Modifier.STATIC;
        int protectedStatic = Modifier.PROTECTED | Modifier.STATIC;
        assertThat(DirectCall.mayCall(DirectCallTest.class, DirectCallTest.class, privateStatic)).isTrue();
        assertThat(DirectCall.mayCall(DirectCallTest.class, Nested.class, privateStatic)).as("nestmates").isTrue();
        assertThat(DirectCall.mayCall(Nested.class, DirectCallTest.class, privateStatic)).as("nestmates").isTrue();
        assertThat(DirectCall.mayCall(DirectCallTest.class, Hidden.class, privateStatic)).as("other top level")
                .isFalse();
        assertThat(DirectCall.mayCall(DirectCallTest.class, Hidden.class, packageStatic)).as("same package").isTrue();
        assertThat(DirectCall.mayCall(DirectCallTest.class, Integer.class, packageStatic)).as("other package")
                .isFalse();
        assertThat(DirectCall.mayCall(DirectCallTest.class, Integer.class, publicStatic)).isTrue();
        assertThat(DirectCall.mayCall(Subclass.class, ClassLoader.class, protectedStatic)).as("a subclass").isTrue();
        assertThat(DirectCall.mayCall(DirectCallTest.class, ClassLoader.class, protectedStatic)).isFalse();
        Class<?> privateNested = Class.forName("java.util.Collections$UnmodifiableList");
        assertThat(DirectCall.mayCall(DirectCallTest.class, privateNested, publicStatic))
                .as("a public method of a class we cannot see").isFalse();
    }

    @Test
    void aMalformedDescriptorOrAMissingClassInItSendsTheReferenceToTheStrictPath() {
        String runnable = "dev/gil/multiprocess/SerializableRunnable";
        String owner = "dev/gil/multiprocess/internal/child/DirectCallTest";
        for (String descriptor : List.of("", "I", "(I", "(V)V", "(Ljava/lang/String)V", "()", "()VV", "(Q)V",
                "([V)V", "(L;)V", "()V;", "(Lcom/example/Missing;)V")) {
            assertThat(DirectCall.tryResolve(DirectCallTest.class, runnable, "run", "()V", 6, owner, "countCall",
                    descriptor, new Object[0])).as(descriptor).isNull();
        }
        assertThat(DirectCall.tryResolve(DirectCallTest.class, runnable, "run", "()V", 6, owner, "countCall", "()V",
                new Object[0])).as("the descriptor it has").isNotNull();
    }

    /** Runs a task as the child does, whichever way it was decoded. */
    private static Object run(Object task) throws Exception {
        if (task instanceof DirectCall) {
            return ((DirectCall) task).call();
        }
        if (task instanceof SerializableCallable) {
            return ((SerializableCallable<?>) task).call();
        }
        ((SerializableRunnable) task).run();
        return null;
    }

    private static final class Nested {}

    private static final class Subclass extends ClassLoader {}
}

/** A top-level class beside the test: not a nestmate, so its private methods are out of the test class's reach. */
final class Hidden {
    static volatile boolean called;

    private static void secret() {
        called = true;
    }
}
