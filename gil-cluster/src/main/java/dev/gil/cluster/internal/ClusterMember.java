package dev.gil.cluster.internal;

import com.hazelcast.core.Hazelcast;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The life of a member JVM started by a {@code ClusterPool}: join the cluster, serve tasks until killed. */
public final class ClusterMember {
    private ClusterMember() {}

    /** Runs a member until this JVM is stopped (it also exits by itself when its parent dies). */
    public static void serve(String clusterName, int port, List<Integer> peerPorts) throws InterruptedException {
        Hazelcast.newHazelcastInstance(Configs.member(clusterName, port, peerPorts));
        TimeUnit.DAYS.sleep(365);
    }
}
