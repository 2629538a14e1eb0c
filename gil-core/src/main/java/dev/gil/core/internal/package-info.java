/**
 * Internal use only: the built-in scheduling policies and the lock's wait-queue nodes. Nothing here is API; it may
 * change in any release. Use the factories on {@link dev.gil.core.HandoffScheduler} instead.
 */
package dev.gil.core.internal;
