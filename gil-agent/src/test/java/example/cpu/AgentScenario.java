package example.cpu;

import dev.gil.agent.GilAgent;
import dev.gil.core.GilThread;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import example.excluded.ExcludedSpin;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a JVM of its own, with or without the agent: thread A spins 300 ms under the lock with no checkpoint()
 * call; thread B asks for the lock meanwhile. Prints whether B ran before A's loop ended.
 */
public final class AgentScenario {
    private AgentScenario() {}

    public static void main(String[] args) throws InterruptedException {
        boolean excluded = args.length > 0 && args[0].equals("excluded");
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder()
                .scheduler(HandoffScheduler.switchInterval(Duration.ofMillis(5))).build();
        if (args.length > 0 && args[0].equals("attach")) {
            System.out.println("loaded-first=" + Spin.checksum(1)); // Spin is loaded before the agent arrives
            try {
                GilAgent.install(gil, "include=example.*");
            } catch (IllegalStateException refused) {
                System.out.println("refused=" + refused.getMessage().contains("allowAttachSelf"));
                return;
            }
        }
        if (GilAgent.isRunning()) {
            GilAgent.lock(gil);
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
