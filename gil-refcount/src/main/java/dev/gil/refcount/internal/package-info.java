/**
 * Internal use only: one count implementation per {@link dev.gil.refcount.RefCountMode}, and the leak detector's
 * records. Not API; it may change in any release.
 */
package dev.gil.refcount.internal;
