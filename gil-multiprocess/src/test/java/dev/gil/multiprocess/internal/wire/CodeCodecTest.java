package dev.gil.multiprocess.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.SerializableCallable;
import dev.gil.multiprocess.SerializableFunction;
import dev.gil.multiprocess.internal.child.DirectCall;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.Serializable;
import org.junit.jupiter.api.Test;

public class CodeCodecTest {
    static int square(int x) {
        return x * x;
    }

    /** Serializable, but neither packable nor a record: code that captures it must be serialized. */
    static final class Offset implements Serializable {
        private static final long serialVersionUID = 1L;
        final int by;

        Offset(int by) {
            this.by = by;
        }
    }

    @SuppressWarnings("unchecked")
    private static SerializableFunction<Integer, Integer> roundTrip(CodeCodec.Encoded encoded) throws Exception {
        return (SerializableFunction<Integer, Integer>) CodeCodec.decode(encoded.form(), encoded.bytes());
    }

    @Test
    void aMethodReferenceAndALambdaOfSmallValuesGoByReference() throws Exception {
        CodeCodec.Encoded reference = CodeCodec.encode((SerializableFunction<Integer, Integer>) CodeCodecTest::square);
        assertThat(reference.form()).isEqualTo(CodeCodec.BY_REFERENCE);
        assertThat(reference.serialized()).isFalse();
        assertThat(roundTrip(reference).apply(7)).isEqualTo(49);

        int offset = 5;
        CodeCodec.Encoded lambda = CodeCodec.encode((SerializableFunction<Integer, Integer>) x -> x + offset);
        assertThat(lambda.form()).isEqualTo(CodeCodec.BY_REFERENCE);
        assertThat(roundTrip(lambda).apply(1)).isEqualTo(6);
    }

    @Test
    void codeThatCapturesAnObjectPackingCannotTakeIsSerialized() throws Exception {
        Offset offset = new Offset(10);
        CodeCodec.Encoded encoded = CodeCodec.encode((SerializableFunction<Integer, Integer>) x -> x + offset.by);
        assertThat(encoded.serialized()).isTrue();
        assertThat(roundTrip(encoded).apply(1)).isEqualTo(11);
    }

    @Test
    void codeThatCapturesSomethingUnserializableNamesIt() {
        Object notSerializable = new Object();
        assertThatThrownBy(() -> CodeCodec.encode(
                (SerializableFunction<Integer, Object>) x -> notSerializable))
                .isInstanceOf(NotSerializableException.class).hasMessageContaining("java.lang.Object");
    }

    @Test
    void anUnknownFormIsAnInvalidObjectException() {
        assertThatThrownBy(() -> CodeCodec.decode((byte) 7, new byte[] {1, 2, 3}))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("unknown form of code: 7");
        assertThatThrownBy(() -> CodeCodec.decode(CodeCodec.BY_REFERENCE, SmallValues.encode("not a lambda")))
                .isInstanceOf(InvalidObjectException.class);
    }

    @Test
    void aTargetCarriesItsFormAndRunsAStaticMethodAsADirectCall() throws Exception {
        SerializableCallable<Integer> byReference = () -> square(6);
        Object direct = CodeCodec.decodeTarget(CodeCodec.toTarget(CodeCodec.encode(byReference)));
        assertThat(direct).isInstanceOf(DirectCall.class);
        assertThat(((DirectCall) direct).call()).isEqualTo(36);

        Offset offset = new Offset(3);
        SerializableCallable<Integer> serialized = () -> offset.by + 1;
        CodeCodec.Encoded encoded = CodeCodec.encode(serialized);
        assertThat(encoded.serialized()).isTrue();
        Object rebuilt = CodeCodec.decodeTarget(CodeCodec.toTarget(encoded));
        assertThat(((SerializableCallable<?>) rebuilt).call()).isEqualTo(4);
    }

    @Test
    void anEmptyOrUnknownTargetIsAnInvalidObjectException() {
        assertThatThrownBy(() -> CodeCodec.decodeTarget(new byte[0])).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("an empty target");
        assertThatThrownBy(() -> CodeCodec.decodeTarget(new byte[] {9, 1, 2}))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("unknown form of code: 9");
    }
}
