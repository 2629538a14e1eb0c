/**
 * jcstress tests of gil-core's memory-ordering claims: mutual exclusion on plain fields, and a happens-before edge
 * from every release (including a handoff at a checkpoint and the release inside {@code allowThreads}) to the next
 * acquisition. Broken outcomes are marked {@code FORBIDDEN}.
 *
 * <p>Run: {@code ./mvnw -pl gil-stress -am package -DskipTests && java -jar gil-stress/target/jcstress.jar}
 * (add {@code -m sanity} for a quick pass, {@code -m tough} for a long one).
 */
package dev.gil.stress;
