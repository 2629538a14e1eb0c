/**
 * Internal use only: the wire format (length-prefixed frames over AF_UNIX sockets), the deserialization filter, the
 * child JVM's entry point and the parent's plumbing. Not API; it may change in any release.
 */
package dev.gil.multiprocess.internal;
