package dev.gil.multiprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.Connection;
import dev.gil.multiprocess.Pipe;
import dev.gil.multiprocess.SerializableCallable;
import dev.gil.multiprocess.SerializableRunnable;
import dev.gil.multiprocess.internal.child.DirectCall;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

public class LambdaByReferenceTest {
    private static final AtomicInteger calls = new AtomicInteger();

    static void countCall() {
        calls.incrementAndGet();
    }

    static String describe(int number, String text, Object[] tuple, long big, double real, boolean flag) {
        return number + text + tuple.length + tuple[0] + big + real + flag;
    }

    private static Object roundTrip(Object target) throws Exception {
        LambdaByReference.Reference reference = LambdaByReference.encode(target);
        assertThat(reference).as("sent by reference").isNotNull();
        return LambdaByReference.decode(reference.bytes());
    }

    @Test
    void aMethodReferenceComesBackAsALambdaThatCallsTheSameMethod() throws Exception {
        SerializableRunnable target = LambdaByReferenceTest::countCall;
        Object back = roundTrip(target);
        int before = calls.get();
        ((SerializableRunnable) back).run();
        assertThat(calls.get()).isEqualTo(before + 1);
    }

    @Test
    void capturedSmallValuesTravelWithTheLambdaAndReachItsBodyEitherWay() throws Exception {
        int number = 42;
        String text = "héllo";
        Object[] tuple = {"ping", 12345, 1.5};
        long big = Long.MAX_VALUE;
        double real = -0.5;
        boolean flag = true;
        SerializableCallable<String> target = () -> describe(number, text, tuple, big, real, flag);
        Object back = roundTrip(target);
        assertThat(((SerializableCallable<?>) back).call()).isEqualTo(target.call());
        Object direct = LambdaByReference.decodeTask(LambdaByReference.encode(target).bytes());
        assertThat(direct).as("what a child runs: the lambda's body, called directly").isInstanceOf(DirectCall.class);
        assertThat(((DirectCall) direct).call()).isEqualTo(target.call());
    }

    @Test
    void aCapturedConnectionMovesWithTheLambdaAndWorksOnArrival() throws Exception {
        Pipe pipe = Pipe.open();
        Connection right = pipe.right();
        SerializableRunnable target = () -> right.send("hello");
        Object back = roundTrip(target);
        assertThatThrownBy(() -> right.send("x")).as("the original end moved away")
                .hasMessageContaining("sent to another process");
        ((SerializableRunnable) back).run(); // the moved end connects to the left one, which listens already
        assertThat(pipe.left().recv()).isEqualTo("hello");
        pipe.left().close();
    }

    @Test
    void aConnectionThatCannotMoveFailsAsSerializationWould() throws Exception {
        Pipe pipe = Pipe.open();
        Connection right = pipe.right();
        right.close();
        SerializableCallable<Object> target = () -> right.recv();
        assertThatThrownBy(() -> LambdaByReference.encode(target)).isInstanceOf(NotSerializableException.class)
                .hasMessageContaining("a closed Connection cannot be sent");
        pipe.left().close();
    }

    @Test
    void aLambdaCapturingAnythingElseIsLeftToSerialization() throws Exception {
        StringBuilder builder = new StringBuilder("a");
        SerializableCallable<Integer> capturesABuilder = () -> builder.length();
        assertThat(LambdaByReference.encode(capturesABuilder)).isNull();
        List<String> list = new ArrayList<>(List.of("a"));
        SerializableCallable<Integer> capturesAList = () -> list.size();
        assertThat(LambdaByReference.encode(capturesAList)).as("an ArrayList is a small value").isNotNull();
        assertThat(LambdaByReference.encode("not a lambda")).isNull();
        assertThat(LambdaByReference.encode(new SerializableTask())).isNull();
    }

    @Test
    void garbageIsRefusedWithAClearError() {
        assertThatThrownBy(() -> LambdaByReference.decode(SmallValues.encode("just a string")))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("not a lambda reference");
        assertThatThrownBy(() -> LambdaByReference.decode(SmallValues.encode(new Object[] {1, 2, 3})))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("not a lambda reference");
        assertThatThrownBy(() -> LambdaByReference.decode(new byte[] {8, 0}))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("truncated");
    }

    @Test
    void aForgedReferenceOnlyMakesLambdasTheCapturingClassWasCompiledWith() throws Exception {
        Object[] fields = fieldsOf(LambdaByReferenceTest::countCall);
        fields[6] = "describe"; // a real static method of the class, but no lambda of it refers to it that way
        assertThatThrownBy(() -> LambdaByReference.decode(SmallValues.encode(fields)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("cannot be rebuilt")
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDeserializationFilterJudgesTheCapturingClass() throws Exception {
        Object[] fields = fieldsOf(LambdaByReferenceTest::countCall);
        fields[0] = "java/lang/reflect/Method"; // outside the filter's allow-list
        assertThatThrownBy(() -> LambdaByReference.decode(SmallValues.encode(fields)))
                .isInstanceOf(InvalidClassException.class).hasMessageContaining("java.lang.reflect.Method")
                .hasMessageContaining("rejected by gil4j's deserialization filter");
    }

    @Test
    void anUnknownCapturingClassIsAClassNotFoundException() throws Exception {
        Object[] fields = fieldsOf(LambdaByReferenceTest::countCall);
        fields[0] = "com/example/NoSuchClass";
        assertThatThrownBy(() -> LambdaByReference.decode(SmallValues.encode(fields)))
                .isInstanceOf(ClassNotFoundException.class).hasMessageContaining("com.example.NoSuchClass");
    }

    /** The fields of a reference as {@link LambdaByReference#encode} writes them, to be tampered with. */
    public static Object[] fieldsOf(SerializableRunnable target) throws Exception {
        Object decoded = SmallValues.decode(LambdaByReference.encode(target).bytes());
        Method writeReplace = target.getClass().getDeclaredMethod("writeReplace");
        writeReplace.setAccessible(true);
        SerializedLambda lambda = (SerializedLambda) writeReplace.invoke(target);
        Object[] fields = (Object[]) decoded;
        assertThat(fields[0]).isEqualTo(lambda.getCapturingClass());
        assertThat(fields[6]).isEqualTo(lambda.getImplMethodName());
        return fields;
    }

    private static final class SerializableTask implements SerializableRunnable {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {}
    }
}
