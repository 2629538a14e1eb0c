package dev.gil.multiprocess.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlPipesTest {

    private static boolean isFifo(Path path) throws Exception {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
    }

    @Test
    void fifosPreparedForChildrenStartingSideBySideAreEachTakenOnceAndTheRestRemoved() throws Exception {
        ControlPipes pipes = new ControlPipes();
        assumeTrue(pipes.available(), "mkfifo is not available here");
        pipes.prepare(3);
        List<Path> taken = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path fifo = pipes.create();
            assertThat(fifo).isNotNull();
            assertThat(isFifo(fifo)).as("%s is a FIFO", fifo).isTrue();
            taken.add(fifo);
        }
        assertThat(new HashSet<>(taken)).as("no FIFO is handed out twice").hasSize(2);
        pipes.removeSpare();
        Path made = pipes.create(); // none waits: one is made now
        assertThat(isFifo(made)).isTrue();
        assertThat(taken).doesNotContain(made);
        pipes.makeSpare();
        Path spare = pipes.create(); // waits for the one on its way
        assertThat(isFifo(spare)).isTrue();
        pipes.prepare(2);
        List<Path> prepared = pipes.waiting();
        assertThat(prepared).hasSize(2);
        pipes.removeSpare();
        assertThat(pipes.waiting()).isEmpty();
        assertThat(prepared).allMatch(fifo -> !Files.exists(fifo, LinkOption.NOFOLLOW_LINKS));
        for (Path fifo : List.of(taken.get(0), taken.get(1), made, spare)) {
            Files.delete(fifo);
        }
    }
}
