package dev.gil.core;

import java.time.Duration;

class EventuallyFairSchedulerContractTest extends HandoffSchedulerContract {
    @Override
    HandoffScheduler scheduler() {
        return HandoffScheduler.eventuallyFair(Duration.ofMillis(1));
    }
}
