package dev.gil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SingleWriterHistogramTest {
    @Test
    void countsExactlyWhatAnHdrHistogramOfThreeDigitsCounts() {
        SingleWriterHistogram ours = new SingleWriterHistogram();
        Histogram direct = new Histogram(SingleWriterHistogram.HIGHEST, 3);
        SplittableRandom random = new SplittableRandom(42);
        long[] edges = {0, 1, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 1L << 20, (1L << 20) - 1, 3_000_000,
            SingleWriterHistogram.HIGHEST - 1, SingleWriterHistogram.HIGHEST};
        for (long value : edges) {
            ours.record(value);
            direct.recordValue(value);
        }
        for (int i = 0; i < 100_000; i++) {
            long value = random.nextLong(1L << random.nextInt(1, 42)); // every magnitude up to an hour
            ours.record(value);
            direct.recordValue(value);
        }
        Histogram copy = new Histogram(SingleWriterHistogram.HIGHEST, 3);
        ours.copyInto(copy);

        assertThat(copy.getTotalCount()).isEqualTo(direct.getTotalCount()).isEqualTo(ours.count());
        for (double percentile : new double[] {0, 10, 50, 90, 99, 99.9, 99.99, 100}) {
            assertThat(copy.getValueAtPercentile(percentile)).as("p%s", percentile)
                    .isEqualTo(direct.getValueAtPercentile(percentile));
        }
        assertThat(copy.getMaxValue()).isEqualTo(direct.getMaxValue());
        assertThat(copy).isEqualTo(direct);
    }

    @Test
    void outOfRangeValuesAreClampedButSummedAsGiven() {
        SingleWriterHistogram histogram = new SingleWriterHistogram();
        histogram.record(-5);
        histogram.record(SingleWriterHistogram.HIGHEST + 10);
        Histogram copy = new Histogram(SingleWriterHistogram.HIGHEST, 3);
        histogram.copyInto(copy);
        assertThat(copy.getCountAtValue(0)).isEqualTo(1);
        assertThat(copy.getCountAtValue(SingleWriterHistogram.HIGHEST)).isEqualTo(1);
        assertThat(histogram.sum()).isEqualTo(SingleWriterHistogram.HIGHEST + 5);
    }

    @Test
    void aReaderCopyingWhileTheWriterRecordsSeesAGrowingValidHistogram() throws Exception {
        SingleWriterHistogram histogram = new SingleWriterHistogram();
        int records = 2_000_000;
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            started.countDown();
            for (int i = 0; i < records; i++) {
                histogram.record(1L << (i % 40)); // a new page now and then, for the first 40 values
            }
            finished.set(true);
        }, "writer");
        writer.start();
        started.await();
        long previous = 0;
        int copies = 0;
        while (!finished.get() || copies == 0) {
            Histogram copy = new Histogram(SingleWriterHistogram.HIGHEST, 3);
            histogram.copyInto(copy);
            long count = copy.getTotalCount();
            assertThat(count).isBetween(previous, (long) records);
            previous = count;
            copies++;
        }
        writer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(writer.isAlive()).isFalse();
        Histogram last = new Histogram(SingleWriterHistogram.HIGHEST, 3);
        histogram.copyInto(last);
        assertThat(last.getTotalCount()).isEqualTo(records).isEqualTo(histogram.count());
    }
}
