package dev.gil.core;


class IoPrioritySchedulerContractTest extends HandoffSchedulerContract {
    @Override
    HandoffScheduler scheduler() {
        return HandoffScheduler.ioPriority();
    }
}
