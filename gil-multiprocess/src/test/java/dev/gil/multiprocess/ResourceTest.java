package dev.gil.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Many children started and joined leave nothing behind: threads, file descriptors, children. */
class ResourceTest {
    private static int openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /**
     * Live threads, less the JDK's "process reaper" pool, whose idle threads linger for a minute by design, and the
     * thread that runs {@code mkfifo} for the next child, which ends once it has.
     */
    private static List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> !name.startsWith("process reaper") && !name.equals("gil4j-fifo-maker")).sorted()
                .collect(Collectors.toList());
    }

    @Test
    void hundredChildrenLeaveNoThreadsDescriptorsOrZombies() throws Exception {
        warmUp();
        List<String> threadsBefore = threads();
        int fdsBefore = openFileDescriptors();
        for (int round = 0; round < 10; round++) {
            JvmProcess[] children = new JvmProcess[10];
            for (int i = 0; i < children.length; i++) {
                children[i] = new JvmProcess(Targets::nothing);
                children[i].start();
            }
            for (JvmProcess child : children) {
                child.join();
                assertThat(child.exitCode()).hasValue(0);
                child.close();
            }
        }
        assertThat(ProcessHandle.current().children().filter(child -> !isFifoMaker(child)))
                .as("no child left, no zombie").isEmpty();
        List<String> threadsAfter = threads();
        assertThat(threadsAfter).as("no pump or control thread of ours survives").noneMatch(
                name -> name.startsWith("JvmProcess-"));
        assertThat(threadsAfter.size()).as("threads before %s, after %s", threadsBefore, threadsAfter)
                .isLessThanOrEqualTo(threadsBefore.size());
        if (fdsBefore >= 0) {
            assertThat(openFileDescriptors()).isLessThanOrEqualTo(fdsBefore + 4);
        }
    }

    private static void warmUp() throws InterruptedException {
        JvmProcess first = new JvmProcess(Targets::nothing);
        first.start();
        first.join();
        first.close();
    }

    /** The {@code mkfifo} that makes the next child's control pipe ahead of time may be running; it is reaped. */
    private static boolean isFifoMaker(ProcessHandle child) {
        return child.info().command().orElse("").endsWith("mkfifo");
    }
}
