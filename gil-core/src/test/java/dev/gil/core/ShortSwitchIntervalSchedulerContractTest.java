package dev.gil.core;

import java.time.Duration;

/** A 20 us interval forces thousands of drop requests and handoffs through the contract tests. */
class ShortSwitchIntervalSchedulerContractTest extends HandoffSchedulerContract {
    @Override
    HandoffScheduler scheduler() {
        return HandoffScheduler.switchInterval(Duration.ofNanos(20_000));
    }
}
