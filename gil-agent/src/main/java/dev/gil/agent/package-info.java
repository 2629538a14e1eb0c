/**
 * Automatic checkpoints: {@link dev.gil.agent.GilAgent}, a Java agent that inserts the lock's breaker check at method
 * entries and loop back-edges, so code under the lock takes turns without calling {@code checkpoint()}.
 */
package dev.gil.agent;
