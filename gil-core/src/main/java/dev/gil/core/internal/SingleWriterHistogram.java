package dev.gil.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.HdrHistogram.Histogram;

/**
 * A distribution of nanosecond values recorded by one thread at a time and read by any thread while it records:
 * the counts of an HdrHistogram with three significant digits, with none of a {@code Recorder}'s atomic
 * instructions. Recording is a handful of plain (opaque) loads and stores on memory only the writer touches.
 *
 * <p><b>Writers.</b> One thread at a time, each seeing the previous writer's records (a happens-before edge between
 * them, such as the lock's ownership transfer). <b>Readers.</b> Any thread, any time: {@link #copyInto} sees every
 * count as some value the writer stored (opaque accesses neither tear nor go back in time), so a copy taken while the
 * writer records is a valid histogram that may miss the records in flight, like {@code LongAdder.sum()}.
 *
 * <p><b>Layout.</b> HdrHistogram's, at three significant digits: values below 1024 counted exactly, then each power of
 * two split into 1024 equal buckets (values within 0.1%). A power of two gets its 8 KiB page of counts on its first
 * value, so a thread whose hold times span, say, 1 µs to 1 ms keeps about 90 KiB, not the 270 KiB of a whole
 * histogram up to an hour.
 */
public final class SingleWriterHistogram {
    /** The largest value kept; larger ones count as this. An hour, in nanoseconds. */
    public static final long HIGHEST = 3_600_000_000_000L;

    private static final int SUB_BUCKET_BITS = 10;
    private static final int PAGE_SIZE = 1 << SUB_BUCKET_BITS;
    private static final int PAGES = pageOf(HIGHEST) + 1;
    private static final VarHandle PAGE = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle TOTAL_COUNT;
    private static final VarHandle SUM;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOTAL_COUNT = lookup.findVarHandle(SingleWriterHistogram.class, "totalCount", long.class);
            SUM = lookup.findVarHandle(SingleWriterHistogram.class, "sum", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[][] pages = new long[PAGES][];
    private long totalCount;
    private long sum;

    /**
     * Records one value. Negative values count as 0 and values over {@link #HIGHEST} as {@code HIGHEST}, but the sum
     * takes them as given. Writer only.
     *
     * @param nanos the value
     */
    public void record(long nanos) {
        long value = Math.max(0, Math.min(HIGHEST, nanos));
        int page = pageOf(value);
        long[] counts = (long[]) PAGE.getOpaque(pages, page);
        if (counts == null) {
            counts = new long[PAGE_SIZE];
            PAGE.setRelease(pages, page, counts); // readers that see the page see it zeroed
        }
        int index = indexInPage(value, page);
        COUNT.setOpaque(counts, index, (long) COUNT.getOpaque(counts, index) + 1);
        TOTAL_COUNT.setOpaque(this, totalCount + 1);
        SUM.setOpaque(this, sum + nanos);
    }

    /**
     * How many values were recorded. Any thread. Read on its own: while the writer records it may be behind or ahead
     * of a copy taken just before (the writer's stores to different fields are not ordered for readers).
     */
    public long count() {
        return (long) TOTAL_COUNT.getOpaque(this);
    }

    /** The sum of the values recorded, as given. Any thread; read on its own, like {@link #count()}. */
    public long sum() {
        return (long) SUM.getOpaque(this);
    }

    /**
     * Adds this distribution's counts to {@code target}, a histogram of three significant digits or more. Any thread.
     *
     * @param target the histogram to add to
     */
    public void copyInto(Histogram target) {
        for (int page = 0; page < PAGES; page++) {
            long[] counts = (long[]) PAGE.getAcquire(pages, page);
            if (counts == null) {
                continue;
            }
            for (int index = 0; index < PAGE_SIZE; index++) {
                long count = (long) COUNT.getOpaque(counts, index);
                if (count > 0) {
                    target.recordValueWithCount(lowestValueAt(page, index), count);
                }
            }
        }
    }

    /** Page 0 holds 0..1023 one by one; page p ≥ 1 holds [2^(p+9), 2^(p+10)) in 1024 equal buckets. */
    static int pageOf(long value) {
        return value < PAGE_SIZE ? 0 : 64 - Long.numberOfLeadingZeros(value) - SUB_BUCKET_BITS;
    }

    static int indexInPage(long value, int page) {
        return page == 0 ? (int) value : (int) (value >>> (page - 1)) - PAGE_SIZE;
    }

    static long lowestValueAt(int page, int index) {
        return page == 0 ? index : (long) (PAGE_SIZE + index) << (page - 1);
    }
}
