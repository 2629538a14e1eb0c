package dev.gil.core;

class UnfairSchedulerContractTest extends HandoffSchedulerContract {
    @Override
    HandoffScheduler scheduler() {
        return HandoffScheduler.unfair();
    }
}
