package dev.gil.core;


class PrioritySchedulerContractTest extends HandoffSchedulerContract {
    @Override
    HandoffScheduler scheduler() {
        return new PriorityScheduler();
    }
}
