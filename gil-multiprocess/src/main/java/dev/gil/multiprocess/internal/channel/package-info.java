/**
 * Internal use only. How frames move between two processes: {@code [int length][byte kind][payload]}, over a pair of
 * pipes ({@code PipeFrames}) or an AF_UNIX socket ({@code FrameChannel}), both behind {@code Frames}.
 *
 * <p><b>Guarantees.</b> One thread may send while another receives; concurrent senders take turns, so frames never
 * interleave. A length above {@code Limits} is refused before anything is allocated for it, and a payload is read into
 * memory that grows as its bytes arrive ({@code Payloads}), so a peer that announces a huge frame and sends nothing
 * costs a megabyte, not the announced size. A peer that closes mid-frame is an {@code EOFException}. Sockets and
 * FIFOs live in private (0700) directories ({@code PrivateSockets}), and a peer proves itself with a random token
 * before anything else is read.
 *
 * <p><b>How.</b> Several frames go in one write where the transport allows ({@code sendAll}); a socket is read with
 * this JVM's NIO selector provider, which a child is told to use too ({@code SelectorProviders}).
 */
package dev.gil.multiprocess.internal.channel;
