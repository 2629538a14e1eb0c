package dev.gil.multiprocess.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gil.multiprocess.JvmProcess;
import dev.gil.multiprocess.ProcessPool;
import dev.gil.multiprocess.internal.channel.PipeFrames;
import dev.gil.multiprocess.internal.channel.PrivateSockets;
import dev.gil.multiprocess.internal.child.ChildMain;
import dev.gil.multiprocess.internal.child.WorkerLoop;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classes on a child's way from {@code new JvmProcess} to its task are compiled with string concatenation as
 * {@code StringBuilder} calls ({@code -XDstringConcat=inline} in the parent POM): a fresh JVM's first {@code +}
 * compiled the default way links an {@code invokedynamic} through {@code StringConcatFactory}, milliseconds in the
 * parent before the child's {@code exec} and in the child before its task. This fails if the flag is lost.
 */
class StartPathBytecodeTest {

    @Test
    void theStartPathLinksNoStringConcatenationBootstrap() throws IOException {
        List<Class<?>> startPath = new ArrayList<>(List.of(JvmProcess.class, ProcessPool.class, Launcher.class,
                Child.class, ChildLauncher.class, ControlPipes.class, ClassDataArchive.class, PrivateSockets.class,
                PipeFrames.class, ChildMain.class, WorkerLoop.class));
        for (Class<?> type : List.copyOf(startPath)) {
            startPath.addAll(List.of(type.getDeclaredClasses()));
        }
        for (Class<?> type : startPath) {
            assertThat(constantPoolText(type)).as("%s refers to StringConcatFactory", type.getName())
                    .doesNotContain("StringConcatFactory");
        }
    }

    private static String constantPoolText(Class<?> type) throws IOException {
        String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            assertThat(in).as("the class file of %s", type.getName()).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
