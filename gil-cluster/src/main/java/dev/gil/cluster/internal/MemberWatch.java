package dev.gil.cluster.internal;

import dev.gil.multiprocess.JvmProcess;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Tells a pool when every member JVM it started has exited. Without it, a client whose members are all gone retries
 * its connection for its whole connect timeout, and every task waits that long before failing with a Hazelcast
 * exception that does not say what happened; the member JVMs are ours, so their exit is known at once.
 */
public final class MemberWatch {
    private MemberWatch() {}

    /**
     * Calls {@code allExited} once, with a sentence naming each member and its exit code, when the last of
     * {@code members} has exited; never, if {@code members} is empty.
     */
    public static void onAllExited(List<JvmProcess> members, Consumer<String> allExited) {
        AtomicInteger alive = new AtomicInteger(members.size());
        for (JvmProcess member : members) {
            ProcessHandle.of(member.pid()).map(ProcessHandle::onExit)
                    .orElseGet(() -> CompletableFuture.completedFuture(null))
                    .thenRunAsync(() -> { // off the process reaper: describe() waits for the exit code
                        if (alive.decrementAndGet() == 0) {
                            allExited.accept(describe(members));
                        }
                    });
        }
    }

    private static String describe(List<JvmProcess> members) {
        return "every member JVM of the pool has exited (" + members.stream().map(member -> {
            try {
                member.join(java.time.Duration.ofSeconds(5)); // the exit is known; let the process object see it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return member.name() + " pid " + member.pid() + ", exit code "
                    + (member.exitCode().isPresent() ? String.valueOf(member.exitCode().getAsInt()) : "unknown");
        }).collect(Collectors.joining("; ")) + ")";
    }
}
