package dev.gil.examples;

import dev.gil.multiprocess.JvmProcess;

/**
 * The seed's other snippet, line for line:
 *
 * <pre>
 * pr1 = Process(target=do_work)       JvmProcess pr1 = new JvmProcess(ProcessExample::doWork);
 * pr1.start()                         pr1.start();
 * pr1.join()                          pr1.join();
 * </pre>
 *
 * <p>{@code doWork} runs in a child JVM with its own memory, and so its own interpreter lock: processes, unlike
 * threads, run Python (here: lock-holding Java) code in parallel.
 */
public final class ProcessExample {
    private ProcessExample() {}

    static void doWork() {
        System.out.printf("  do_work ran in process %d (the parent is %d)%n", ProcessHandle.current().pid(),
                ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L));
    }

    /**
     * Runs the snippet.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        JvmProcess pr1 = new JvmProcess(ProcessExample::doWork);
        pr1.start();
        pr1.join();
        System.out.printf("  pr1 joined: exit code %d%n", pr1.exitCode().orElse(-1));
        pr1.close();
    }
}
