package dev.gil.multiprocess.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gil.multiprocess.internal.channel.PrivateSockets;
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
        assertThat(prepared).as("removed spares leave neither their FIFO nor its directory")
                .allMatch(fifo -> !Files.exists(fifo, LinkOption.NOFOLLOW_LINKS) && !Files.exists(fifo.getParent()));
        for (Path fifo : List.of(taken.get(0), taken.get(1), made, spare)) {
            PrivateSockets.delete(fifo);
        }
    }

    @Test
    void onceClosedNothingIsMadeAheadOfTimeSoNothingIsLeftBehind() throws Exception {
        ControlPipes pipes = new ControlPipes();
        assumeTrue(pipes.available(), "mkfifo is not available here");
        pipes.prepare(2);
        pipes.close(); // mkfifo may still be running
        assertThat(pipes.waiting()).isEmpty();
        pipes.makeSpare(); // what a child whose launch was under way does once it has booted
        pipes.prepare(3);
        assertThat(pipes.waiting()).as("nothing is made after close").isEmpty();
        Path made = pipes.create(); // a launch still under way gets its FIFO
        assertThat(isFifo(made)).isTrue();
        PrivateSockets.delete(made);
        assertThat(made.getParent()).doesNotExist();
        pipes.close(); // idempotent
    }
}
