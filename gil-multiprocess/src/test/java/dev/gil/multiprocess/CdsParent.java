package dev.gil.multiprocess;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A parent JVM for {@link ClassDataArchiveForkedTest}, started with jars only on its class path: runs one child, waits
 * for the archive it recorded to be kept, runs another, then one with the Java agent given as the second argument, if
 * any, and prints what each child was started with.
 */
public final class CdsParent {
    private CdsParent() {}

    static ArrayList<String> jvmArguments() {
        return new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[0]);
        for (int child = 1; child <= 2; child++) {
            JvmProcess process = JvmProcess.builder(CdsParent::jvmArguments).build();
            process.start();
            process.join();
            System.out.println("child " + child + " exit " + process.exitCode().orElse(-1000) + " arguments "
                    + process.result());
            process.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (archives(cache) == 0 && System.nanoTime() < deadline) { // kept once the parent saw the exit
                Thread.onSpinWait();
            }
        }
        if (args.length > 1) { // a Java agent: it cannot live with an archive, so the child starts plainly
            JvmProcess process = JvmProcess.builder(CdsParent::jvmArguments).jvmOptions("-javaagent:" + args[1])
                    .build();
            process.start();
            process.join();
            System.out.println("child 3 exit " + process.exitCode().orElse(-1000) + " arguments " + process.result());
            process.close();
        }
    }

    private static long archives(Path cache) throws Exception {
        if (!Files.isDirectory(cache)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(file -> file.toString().endsWith(".jsa")).count();
        }
    }
}
