/**
 * Reference-counted objects (Netty's {@code ReferenceCounted} model, CPython's {@code ob_refcnt}) and the ways to make
 * a count thread-safe: under a {@code GlobalInterpreterLock}, with a mutex per object, with atomics, biased to an
 * owner thread, or immortal; with misuse and leak detection.
 *
 * <p>Start with {@link dev.gil.refcount.Rc} for a handle over any value, or extend
 * {@link dev.gil.refcount.AbstractRefCounted}; choose a {@link dev.gil.refcount.RefCountMode}; turn on
 * {@link dev.gil.refcount.LeakDetector} in tests.
 */
package dev.gil.refcount;
