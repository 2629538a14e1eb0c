package dev.gil.multiprocess.internal.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gil.multiprocess.SerializableFunction;
import dev.gil.multiprocess.SerializableRunnable;
import dev.gil.multiprocess.internal.wire.CodeCodec;
import dev.gil.multiprocess.internal.wire.SmallValues;
import java.io.InvalidObjectException;
import org.junit.jupiter.api.Test;

public class WorkerLoopTest {
    static void initialize() {}

    static int identity(int x) {
        return x;
    }

    @Test
    void aWorkersTaskIsItsNameAndItsInitializerAndReadsBack() throws Exception {
        assertThat(WorkerLoop.decode(WorkerLoop.encode("pool-worker-1", null))).isNotNull();
        CodeCodec.Encoded initializer = CodeCodec.encode((SerializableRunnable) WorkerLoopTest::initialize);
        assertThat(WorkerLoop.decode(WorkerLoop.encode("pool-worker-2", initializer))).isNotNull();
    }

    @Test
    void aMalformedWorkersTaskIsAnInvalidObjectException() throws Exception {
        assertThatThrownBy(() -> WorkerLoop.decode(SmallValues.encode("pool-worker-1")))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("not a pool worker's task");
        assertThatThrownBy(() -> WorkerLoop.decode(SmallValues.encode(new Object[] {"w", 1})))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("not a pool worker's task");
        assertThatThrownBy(() -> WorkerLoop.decode(SmallValues.encode(new Object[] {"w", "form", "bytes"})))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("malformed initializer");
        CodeCodec.Encoded function = CodeCodec.encode((SerializableFunction<Integer, Integer>) WorkerLoopTest::identity);
        assertThatThrownBy(() -> WorkerLoop.decode(WorkerLoop.encode("w", function)))
                .isInstanceOf(InvalidObjectException.class).hasMessageContaining("not a SerializableRunnable");
    }
}
