package dev.gil.benchmarks.jmh;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.gil.benchmarks.Messages;
import dev.gil.multiprocess.Connection;
import dev.gil.multiprocess.Pipe;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.fory.Fory;
import org.apache.fory.config.Language;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire-format evaluation of {@code docs/design/wire-format.md}: one message through a {@link Connection} (both
 * ends in this JVM, so the socket's cost is the same for all) encoded four ways. {@code gil4j} is what
 * {@link Connection#send} does; the others encode to bytes and go through {@link Connection#sendBytes}, as
 * {@code Connection} would if it used them: Java serialization, Apache Fory and Kryo 5, each with class registration
 * required (their secure setting; a class not registered is refused before it is made).
 *
 * <p>The shapes are {@code compare}'s ({@link Messages}): an {@code ArrayList} {@code ["ping", 12345, 1.5]}, a
 * {@code HashMap} {@code {id, name, tags, score}}, a record of the same fields, and an application's serializable
 * class of the same.
 *
 * <pre>
 * java -jar gil-benchmarks/target/gil-benchmarks.jar jmh WireFormatBenchmark
 * </pre>
 *
 * <p>{@link #main} times a fresh JVM's first message instead, which is what a child started for one task pays:
 *
 * <pre>
 * java -cp gil-benchmarks/target/gil-benchmarks.jar dev.gil.benchmarks.jmh.WireFormatBenchmark record fory
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class WireFormatBenchmark {
    /** The same message as an application's ordinary serializable class. */
    public static final class PingBean implements Serializable {
        private static final long serialVersionUID = 1L;
        String name;
        int id;
        double score;
        List<String> tags;

        /** For Kryo and Fory, which make the object before they fill it. */
        public PingBean() {}

        PingBean(String name, int id, double score, List<String> tags) {
            this.name = name;
            this.id = id;
            this.score = score;
            this.tags = tags;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof PingBean bean && bean.name.equals(name) && bean.id == id && bean.score == score
                    && bean.tags.equals(tags);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, id, score, tags);
        }
    }

    /** The message's shape. */
    @Param({"list", "dict", "record", "class"})
    public String shape;

    /** How it is encoded. */
    @Param({"gil4j", "jdk", "fory", "kryo"})
    public String codec;

    private Connection sender;
    private Connection receiver;
    private Codec encoding;

    /** The pipe, the codec, and one message through it, so that a broken codec fails before anything is timed. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        openPipe();
        Object back = roundTrip();
        if (!back.equals(message())) {
            throw new IllegalStateException(codec + " changed a " + shape + ": " + back);
        }
    }

    private void openPipe() throws IOException {
        Pipe pipe = Pipe.open();
        sender = pipe.left();
        receiver = pipe.right();
        encoding = Codec.named(codec);
    }

    /**
     * Prints the microseconds a fresh JVM takes to send its first message of one shape one way and read it: the
     * codec's first use, class loading and set-up included; the pipe is opened and used for bytes before.
     *
     * @param args the shape and the codec
     */
    public static void main(String[] args) throws IOException {
        WireFormatBenchmark first = new WireFormatBenchmark();
        first.shape = args[0];
        first.codec = args[1];
        first.openPipe();
        first.sender.sendBytes(new byte[] {1});
        first.receiver.recvBytes();
        long start = System.nanoTime();
        first.encoding = Codec.named(first.codec);
        Object back = first.roundTrip();
        long micros = (System.nanoTime() - start) / 1_000;
        first.tearDown();
        System.out.println(back.equals(first.message()) ? micros : "changed: " + back);
    }

    /** Closes both ends. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sender.close();
        receiver.close();
    }

    /** One message, built fresh as a program builds it, sent and received. */
    @Benchmark
    public Object roundTrip() throws IOException {
        Object message = message();
        if (encoding == null) {
            sender.send(message);
            return receiver.recv();
        }
        sender.sendBytes(encoding.encode(message));
        return encoding.decode(receiver.recvBytes());
    }

    private Object message() {
        return shape.equals("class") ? new PingBean("ping", 12345, 1.5, new ArrayList<>(List.of("a", "b")))
                : Messages.of(shape);
    }

    /** Bytes for an object and back; {@code null} stands for {@code Connection}'s own. */
    interface Codec {
        byte[] encode(Object value) throws IOException;

        Object decode(byte[] bytes) throws IOException;

        static Codec named(String name) {
            switch (name) {
                case "gil4j":
                    return null;
                case "jdk":
                    return new JavaSerialization();
                case "fory":
                    return new ForyCodec();
                case "kryo":
                    return new KryoCodec();
                default:
                    throw new IllegalArgumentException("no codec " + name);
            }
        }
    }

    /** Java serialization, as {@code ObjectOutputStream} writes it. */
    static final class JavaSerialization implements Codec {
        @Override
        public byte[] encode(Object value) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            return bytes.toByteArray();
        }

        @Override
        public Object decode(byte[] bytes) throws IOException {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                return in.readObject();
            } catch (ClassNotFoundException e) {
                throw new IOException(e);
            }
        }
    }

    /** Apache Fory, Java mode, registration required. */
    static final class ForyCodec implements Codec {
        private final Fory fory = Fory.builder().withLanguage(Language.JAVA).requireClassRegistration(true)
                .withRefTracking(false).build();

        ForyCodec() {
            fory.register(Messages.Ping.class);
            fory.register(PingBean.class);
        }

        @Override
        public byte[] encode(Object value) {
            return fory.serialize(value);
        }

        @Override
        public Object decode(byte[] bytes) {
            return fory.deserialize(bytes);
        }
    }

    /** Kryo 5, registration required. */
    static final class KryoCodec implements Codec {
        private final Kryo kryo = new Kryo();
        private final Output output = new Output(256, -1);

        KryoCodec() {
            kryo.setRegistrationRequired(true);
            kryo.register(ArrayList.class);
            kryo.register(HashMap.class);
            kryo.register(Messages.Ping.class);
            kryo.register(PingBean.class);
        }

        @Override
        public byte[] encode(Object value) {
            output.reset();
            kryo.writeClassAndObject(output, value);
            return output.toBytes();
        }

        @Override
        public Object decode(byte[] bytes) {
            return kryo.readClassAndObject(new Input(bytes));
        }
    }
}
