package dev.gil.core;

import java.time.Duration;

class SwitchIntervalSchedulerContractTest extends HandoffSchedulerContract {
    @Override
    HandoffScheduler scheduler() {
        return HandoffScheduler.switchInterval(Duration.ofMillis(5));
    }
}
