/**
 * Internal use only. How a child JVM is started and met: the parent's side of every child, below {@code JvmProcess}
 * and pool workers alike.
 *
 * <p><b>Guarantees.</b> A {@code Launcher} (one per {@code ProcessContext}) owns what launching keeps: the warm
 * standby JVM ({@code WarmStandby}), the FIFO made ahead of time for the next control channel ({@code ControlPipes}),
 * the registry of live children and one shutdown hook that kills daemon children and waits for the others. A
 * {@code Child} sends its task once, reads the child's reports on a thread of its own, and turns exit values into
 * Python's exit codes. A child that cannot be met within the handshake timeout is killed, never left running; a child
 * whose parent dies exits by itself.
 *
 * <p><b>How.</b> {@code ChildLauncher} builds the command line (this JVM's {@code java} and class path, cheap flags,
 * the collector from {@code ChildCollector}, the allow-list and limits of this JVM, and a class-data archive where
 * {@code ClassDataArchive} can have one), starts the process, sends it a token on its stdin and meets it on its
 * control channel ({@code ControlProtocol}). Output is copied line by line to this JVM's streams, with the child's
 * prefix.
 */
package dev.gil.multiprocess.internal.launch;
