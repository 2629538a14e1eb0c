package dev.gil.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import com.google.common.base.Ticker;
import dev.gil.core.internal.SingleWriterHistogram;
import dev.gil.core.internal.TraceBuffer;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * The lock's timings and traces are written by one thread with plain (opaque) stores and no atomic instructions, and
 * read by any thread while written: a reader may miss the newest records, but never sees a half-written one.
 */
public final class InstrumentationReadWhileWriteTest {
    private InstrumentationReadWhileWriteTest() {}

    @JCStressTest
    @Description("A histogram copied twice while its writer records one value twice on a fresh page")
    @Outcome(id = {"0, 0", "0, 1", "0, 2", "1, 1", "1, 2", "2, 2"}, expect = ACCEPTABLE,
            desc = "each copy saw a prefix of the records, the second no less than the first")
    @Outcome(expect = FORBIDDEN, desc = "a count that was never written, or a later copy that went back")
    @State
    public static class HistogramCopy {
        final SingleWriterHistogram histogram = new SingleWriterHistogram();

        @Actor
        public void writer() {
            histogram.record(5_000);
            histogram.record(5_000);
        }

        @Actor
        public void reader(JJ_Result r) {
            r.r1 = copiedCount();
            r.r2 = copiedCount();
        }

        private long copiedCount() {
            Histogram copy = new Histogram(SingleWriterHistogram.HIGHEST, 3);
            histogram.copyInto(copy);
            return copy.getTotalCount();
        }
    }

    @JCStressTest
    @Description("A trace read while its thread overwrites the oldest events of a full ring")
    @Outcome(id = {"1, 0", "1, 1"}, expect = ACCEPTABLE,
            desc = "every event read is whole and in order (none yet, or some)")
    @Outcome(expect = FORBIDDEN, desc = "a torn, overwritten or misordered event was read")
    @State
    public static class TraceReadWhileWrapping {
        static final int EVENTS = 70; // the smallest ring holds 64: the last 6 overwrite the first
        final TraceBuffer buffer = new TraceBuffer(1, Ticker.systemTicker());

        @Actor
        public void writer() {
            for (int i = 1; i <= EVENTS; i++) {
                buffer.record(TraceBuffer.Kind.ACQUIRE, i, null, i);
            }
        }

        @Actor
        public void reader(II_Result r) {
            List<TraceBuffer.Event> events = buffer.contents().events();
            boolean whole = true;
            for (int i = 0; i < events.size(); i++) {
                TraceBuffer.Event event = events.get(i);
                whole &= event.nanos() == event.queue() && (i == 0 || event.queue() == events.get(i - 1).queue() + 1);
            }
            r.r1 = whole ? 1 : 0;
            r.r2 = events.isEmpty() ? 0 : 1;
        }
    }
}
