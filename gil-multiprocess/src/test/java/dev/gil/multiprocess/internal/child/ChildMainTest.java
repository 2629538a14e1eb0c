package dev.gil.multiprocess.internal.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ChildMainTest {

    @Test
    void theParentsPidIsReadFromProcSelfStatOnLinux() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "no /proc/self/stat here");
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        assertThat(ChildMain.parentPidFromProc()).isEqualTo(parent);
    }

    @Test
    void aJvmThatIsNotShuttingDownIsNotShuttingDownOnSigterm() {
        assertThat(ChildMain.shuttingDownOnSigterm()).isFalse();
    }
}
