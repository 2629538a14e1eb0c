/** The cluster pool's implementation: configurations, the member JVM's main, the task. Not API. */
package dev.gil.cluster.internal;
