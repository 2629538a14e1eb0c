/**
 * Internal use only; not API, and it may change in any release. How a parent and its child JVMs talk: frames over a
 * pair of pipes (or an AF_UNIX socket where {@code mkfifo} is missing) behind {@code Frames}; the one wire codec
 * ({@code WireCodec}: packed values, records and enums, else Java serialization) with its allow-list
 * ({@code AllowedClasses}), checked before a class is loaded; how a child is launched (command line, class-data
 * archive, warm standby) and met; the child's entry point; a pool worker's loop; a process queue's server.
 * {@code docs/design/wire-format.md} and {@code docs/design/processes.md} say why.
 */
package dev.gil.multiprocess.internal;
