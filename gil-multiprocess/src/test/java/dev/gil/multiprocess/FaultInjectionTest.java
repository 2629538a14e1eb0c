package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults and bad input on purpose, as CPython's {@code _test_multiprocessing} does: each must end in an exception
 * that names the cause, within a bounded time, with nothing left running.
 */
@Timeout(120)
class FaultInjectionTest {

    @Test
    void leavingAnImapLoopWithBreakDoesNotHangClose() {
        AtomicLong read = new AtomicLong();
        Iterable<Integer> endless = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return (int) read.incrementAndGet();
            }
        };
        ResultIterator<Integer> abandoned;
        ProcessPool pool = ProcessPool.create(2);
        try (pool) {
            abandoned = pool.imap(x -> x * 2, endless);
            for (int doubled : abandoned) {
                if (doubled >= 20) {
                    break; // the natural idiom: the iterator is never closed
                }
            }
        } // close() must return: the abandoned imap is cancelled
        assertThat(pool.isTerminated()).isTrue();
        long readAtClose = read.get();
        assertThatThrownBy(abandoned::next).isInstanceOf(CancellationException.class)
                .hasMessageContaining("pool was closed");
        assertThat(read.get()).as("no input read after the pool closed").isEqualTo(readAtClose);
    }
}
