package dev.gil.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of this JVM's children that have ended and been waited for, from {@code /proc/self/stat}. */
final class ChildCpu {
    private ChildCpu() {}

    /** Nanoseconds of user and system CPU of reaped children, or 0 where {@code /proc} is not there. */
    static long total() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            // Fields after the command name (which may contain spaces) start after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]); // cutime, cstime
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException notLinux) {
            return 0;
        }
    }
}
