package dev.gil.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/** Two read-modify-writes of a plain field under the lock: neither update may be lost, for any scheduler. */
public final class MutualExclusionTest {
    private MutualExclusionTest() {}

    /** Shared by the per-scheduler tests below, which are the jcstress states. */
    public static class Counter {
        final GlobalInterpreterLock gil;
        int value;

        Counter(HandoffScheduler scheduler) {
            gil = GlobalInterpreterLock.builder().scheduler(scheduler).build();
        }

        void increment() {
            gil.acquire();
            try {
                value++;
            } finally {
                gil.release();
            }
        }
    }

    @JCStressTest
    @Description("Default scheduler (switch interval): plain increments under the lock")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments seen")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "an increment was lost: no mutual exclusion")
    @State
    public static class SwitchInterval extends Counter {
        public SwitchInterval() {
            super(HandoffScheduler.switchInterval(HandoffScheduler.DEFAULT_SWITCH_INTERVAL));
        }

        @Actor
        public void first() {
            increment();
        }

        @Actor
        public void second() {
            increment();
        }

        @Arbiter
        public void result(I_Result r) {
            r.r1 = value;
        }
    }

    @JCStressTest
    @Description("Fair scheduler (direct handoff): plain increments under the lock")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments seen")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "an increment was lost: no mutual exclusion")
    @State
    public static class Fair extends Counter {
        public Fair() {
            super(HandoffScheduler.fair());
        }

        @Actor
        public void first() {
            increment();
        }

        @Actor
        public void second() {
            increment();
        }

        @Arbiter
        public void result(I_Result r) {
            r.r1 = value;
        }
    }

    @JCStressTest
    @Description("Unfair scheduler (barging): plain increments under the lock")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments seen")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "an increment was lost: no mutual exclusion")
    @State
    public static class Unfair extends Counter {
        public Unfair() {
            super(HandoffScheduler.unfair());
        }

        @Actor
        public void first() {
            increment();
        }

        @Actor
        public void second() {
            increment();
        }

        @Arbiter
        public void result(I_Result r) {
            r.r1 = value;
        }
    }
}
