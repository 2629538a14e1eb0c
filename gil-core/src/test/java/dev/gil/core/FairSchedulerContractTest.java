package dev.gil.core;


class FairSchedulerContractTest extends HandoffSchedulerContract {
    @Override
    HandoffScheduler scheduler() {
        return HandoffScheduler.fair();
    }
}
