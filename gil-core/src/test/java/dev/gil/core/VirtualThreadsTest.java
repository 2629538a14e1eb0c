package dev.gil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Virtual threads under the lock, where the JDK has them (21 and later); below that, a clear refusal. */
@Timeout(120)
class VirtualThreadsTest {

    @Test
    void belowJdk21TheFactoryIsRefusedAndSaysWhy() {
        assumeTrue(Runtime.version().feature() < 21, "this JDK has virtual threads");
        assertThatThrownBy(() -> GlobalInterpreterLock.create().virtualThreadFactory())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("JDK 21");
    }

    @Test
    void tenThousandVirtualThreadsTakeTurnsAndBlockWithTheLockReleased() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21");
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().name("virtual").build();
        ThreadFactory factory = gil.virtualThreadFactory();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            threads.add(factory.newThread(() -> {
                for (int round = 0; round < 4; round++) {
                    if (inside.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    inside.decrementAndGet();
                    try {
                        gil.allowThreads(() -> Thread.sleep(1));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                done.incrementAndGet();
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(done.get()).isEqualTo(10_000);
        assertThat(overlaps.get()).as("two threads inside the lock at once").isZero();
        assertThat(threads.get(0).getClass().getName()).contains("VirtualThread");
        assertThat(threads.get(0).getName()).startsWith("virtual-virtual-");
        assertThat(gil.isLocked()).isFalse();
    }
}
