package dev.gil.multiprocess.internal.child;

import dev.gil.multiprocess.internal.channel.Frames;
import java.io.Serializable;

/**
 * A target that talks to its parent over the child's control channel itself, such as a pool worker's loop. The
 * child's main runs it with the channel instead of running a plain target.
 */
public interface ChildTask extends Serializable {
    /** Runs in the child; the value is reported like a callable target's. */
    Object run(Frames control) throws Exception;
}
