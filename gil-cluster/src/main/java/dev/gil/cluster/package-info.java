/**
 * The process pool API on a Hazelcast cluster: {@link dev.gil.cluster.ClusterPool} implements
 * {@link dev.gil.multiprocess.TaskPool}, so code written against {@code ProcessPool} runs on a cluster by changing the
 * line that creates the pool.
 */
package dev.gil.cluster;
