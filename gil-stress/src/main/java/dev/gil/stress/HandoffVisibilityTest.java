package dev.gil.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A happens-before edge from every way of letting go to the next holder: a writer sets plain fields in order under
 * the lock; a reader under the lock must never see a later write without an earlier one.
 */
public final class HandoffVisibilityTest {
    private HandoffVisibilityTest() {}

    @JCStressTest
    @Description("release() -> acquire(): the next holder sees everything the last one wrote")
    @Outcome(id = {"0, 0", "1, 1"}, expect = ACCEPTABLE, desc = "the reader ran before or after the writer")
    @Outcome(id = {"1, 0", "0, 1"}, expect = FORBIDDEN, desc = "half of the writer's critical section was seen")
    @State
    public static class ReleaseAcquire {
        final GlobalInterpreterLock gil = GlobalInterpreterLock.create();
        int x;
        int y;

        @Actor
        public void writer() {
            gil.acquire();
            x = 1;
            y = 1;
            gil.release();
        }

        @Actor
        public void reader(II_Result r) {
            gil.acquire();
            r.r1 = x;
            r.r2 = y;
            gil.release();
        }
    }

    @JCStressTest
    @Description("checkpoint() hands the lock over (fair): the reader sees x before y, never y alone")
    @Outcome(id = {"0, 0", "1, 0", "1, 1"}, expect = ACCEPTABLE,
            desc = "the reader ran before the writer, at its checkpoint, or after it")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "saw the write after the checkpoint but not the one before")
    @State
    public static class CheckpointHandoff {
        final GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.fair()).build();
        int x;
        int y;

        @Actor
        public void writer() {
            gil.acquire();
            x = 1;
            gil.checkpoint();
            y = 1;
            gil.release();
        }

        @Actor
        public void reader(II_Result r) {
            gil.acquire();
            r.r1 = x;
            r.r2 = y;
            gil.release();
        }
    }

    @JCStressTest
    @Description("allowThreads releases and re-acquires: the writer's second write is seen only with its first")
    @Outcome(id = {"0, 0", "1, 0", "1, 1"}, expect = ACCEPTABLE,
            desc = "the reader ran before the writer, during its allowThreads, or after it")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "saw the write after allowThreads but not the one before")
    @State
    public static class AllowThreads {
        final GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(HandoffScheduler.ioPriority())
                .build();
        int x;
        int y;

        @Actor
        public void writer() {
            gil.acquire();
            x = 1;
            gil.allowThreads(Thread::yield);
            y = 1;
            gil.release();
        }

        @Actor
        public void reader(II_Result r) {
            gil.acquire();
            r.r1 = x;
            r.r2 = y;
            gil.release();
        }
    }
}
