/**
 * Reference-counted objects (Netty's {@code ReferenceCounted} model, CPython's {@code ob_refcnt}) and the ways to make
 * a count thread-safe: under a {@code GlobalInterpreterLock}, with a mutex per object, with atomics, biased to an
 * owner thread, or immortal; with misuse and leak detection.
 *
 * <p>Not built yet: this package states the module's purpose so that the build's shape is final. See the project's
 * issue tracker ("gil-refcount").
 */
package dev.gil.refcount;
