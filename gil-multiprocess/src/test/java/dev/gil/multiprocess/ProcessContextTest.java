package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A {@link ProcessContext} owns what launching keeps: its standby, its children, its shutdown hook. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProcessContextTest {

    /** The java processes this JVM started that are still alive. */
    private static List<ProcessHandle> childJvms() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(child -> child.info().command().orElse("").endsWith("java")).toList();
    }

    @Test
    void aContextOfItsOwnKeepsItsChildrenAndItsStandbyAndClosingItKillsTheStandby() throws Exception {
        ProcessContext own = ProcessContext.create();
        assertThat(own.prepareWarmStandby(Duration.ofMinutes(1))).as("its standby is ready").isTrue();
        List<ProcessHandle> standby = childJvms();
        assertThat(standby).as("the standby is our only child JVM").hasSize(1);

        Pipe pipe = Pipe.open();
        Connection ready = pipe.right();
        JvmProcess child = JvmProcess.builder(() -> Targets.readyThenSleep(ready)).context(own).warmStart(true)
                .daemon(true).build();
        child.start();
        pipe.left().recv();
        assertThat(child.pid()).as("it ran in the context's standby").isEqualTo(standby.get(0).pid());
        assertThat(own.activeChildren()).containsExactly(child);
        assertThat(ProcessContext.defaultContext().activeChildren()).doesNotContain(child);
        assertThat(JvmProcess.activeChildren()).as("the default context's").doesNotContain(child);
        child.kill();
        child.join();
        assertThat(own.activeChildren()).isEmpty();

        ProcessHandle next = childJvms().stream().findFirst().orElse(null); // booted once the task ran
        own.close();
        if (next != null) {
            next.onExit().get(60, TimeUnit.SECONDS);
        }
        assertThat(childJvms()).as("no standby left behind").isEmpty();
        own.close(); // idempotent
        child.close();
    }

    @Test
    void aClosedContextStartsNothingAndSaysWhy() throws Exception {
        ProcessContext closed = ProcessContext.create();
        closed.close();
        JvmProcess child = JvmProcess.builder(Targets::nothing).context(closed).name("late").build();
        assertThatThrownBy(child::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("late").hasMessageContaining("ProcessContext was closed");
        assertThatThrownBy(() -> closed.prepareWarmStandby(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> ProcessPool.builder().processes(1).context(closed).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ProcessContext was closed");
        assertThat(childJvms()).as("nothing was started").isEmpty();
    }

    @Test
    void theDefaultContextCannotBeClosed() {
        assertThatThrownBy(() -> ProcessContext.defaultContext().close()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("default ProcessContext cannot be closed");
        assertThat(ProcessContext.defaultContext()).isSameAs(ProcessContext.defaultContext());
    }

    @Test
    void aPoolLaunchesItsWorkersThroughTheContextItIsGiven() throws Exception {
        try (ProcessContext own = ProcessContext.create();
                ProcessPool pool = ProcessPool.builder().processes(1).context(own).warmStart(true).build()) {
            assertThat(pool.<Integer, Integer>map(x -> x + 1, List.of(1, 2, 3))).containsExactly(2, 3, 4);
            assertThat(own.activeChildren()).as("pool workers are their pool's, not JvmProcess children").isEmpty();
        }
        assertThat(childJvms()).as("the pool's worker and the context's standby are gone").isEmpty();
    }

    @Test
    void aStandbyToldAnOlderAllowListIsNotTaken() throws Exception {
        try (ProcessContext own = ProcessContext.create()) {
            assertThat(own.prepareWarmStandby(Duration.ofMinutes(1))).isTrue();
            ProcessHandle told = childJvms().get(0);
            ClassAllowList.allow("org.example.standby.test.**");
            JvmProcess child = JvmProcess.builder(Targets::fortyTwo).context(own).warmStart(true).build();
            child.start();
            child.join();
            assertThat(child.result()).isEqualTo(42L);
            assertThat(child.pid()).as("a fresh JVM, told the new list").isNotEqualTo(told.pid());
            told.onExit().get(60, TimeUnit.SECONDS);
            child.close();
        }
    }
}
