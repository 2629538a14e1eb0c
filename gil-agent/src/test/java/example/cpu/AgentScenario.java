package example.cpu;

import dev.gil.agent.GilAgent;
import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import example.excluded.ExcludedSpin;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a JVM of its own, with or without the agent: thread A spins 300 ms under the lock with no checkpoint()
 * call; thread B asks for the lock meanwhile. Prints whether B ran before A's loop ended.
 */
public final class AgentScenario {
    private AgentScenario() {}

    private static HandoffScheduler scheduler(List<String> options) {
        String name = options.stream().filter(option -> option.startsWith("scheduler=")).findFirst()
                .orElse("scheduler=switchInterval").substring("scheduler=".length());
        return switch (name) {
            case "fair" -> HandoffScheduler.fair();
            case "unfair" -> HandoffScheduler.unfair();
            case "ioPriority" -> HandoffScheduler.ioPriority();
            case "eventuallyFair" -> HandoffScheduler.eventuallyFair(Duration.ofMillis(1));
            default -> HandoffScheduler.switchInterval(Duration.ofMillis(5));
        };
    }

    /**
     * Two locks at once, nothing registered: under each, two GilThreads spin 1 s each in Spin.spinFor, with no
     * checkpoint() call. Prints how often each lock changed hands.
     */
    private static void twoLocks(HandoffScheduler scheduler) throws InterruptedException {
        List<GlobalInterpreterLock> locks = List.of(
                GlobalInterpreterLock.builder().name("a").scheduler(scheduler).build(),
                GlobalInterpreterLock.builder().name("b").scheduler(scheduler).build());
        List<GilThread> threads = new java.util.ArrayList<>();
        for (GlobalInterpreterLock lock : locks) {
            for (int i = 0; i < 2; i++) {
                threads.add(new GilThread(lock, () -> Spin.spinFor(1_000), lock.name() + "-" + i));
            }
        }
        threads.forEach(Thread::start);
        for (GilThread thread : threads) {
            thread.join();
        }
        for (GlobalInterpreterLock lock : locks) {
            System.out.println("switches-" + lock.name() + "=" + lock.stats().switches());
        }
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> options = List.of(args);
        boolean excluded = options.contains("excluded");
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(scheduler(options)).build();
        if (options.contains("attach")) {
            System.out.println("loaded-first=" + Spin.checksum(1)); // Spin is loaded before the agent arrives
            try {
                GilAgent.install(gil, "include=example.*");
            } catch (IllegalStateException refused) {
                System.out.println("refused=" + refused.getMessage().contains("allowAttachSelf"));
                return;
            }
        }
        if (options.contains("two-locks")) {
            twoLocks(scheduler(options));
            return;
        }
        CountDownLatch spinning = new CountDownLatch(1);
        long[] spinEnded = new long[1];
        long[] otherRan = new long[1];
        GilThread spinner = new GilThread(gil, () -> {
            spinning.countDown();
            if (excluded) {
                ExcludedSpin.spinFor(300);
            } else {
                Spin.spinFor(300);
            }
            spinEnded[0] = System.nanoTime();
        });
        GilThread other = new GilThread(gil, () -> otherRan[0] = System.nanoTime());
        spinner.start();
        spinning.await();
        other.start();
        spinner.join();
        other.join();
        System.out.println("other-ran-first=" + (otherRan[0] < spinEnded[0]));
        System.out.println("checksum=" + Spin.checksum(100_000));
        System.out.println("instrumented=" + new TreeSet<>(GilAgent.instrumentedClasses()));
        System.out.println("unmatched=" + GilAgent.unmatchedIncludes());
    }
}
