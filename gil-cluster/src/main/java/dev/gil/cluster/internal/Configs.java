package dev.gil.cluster.internal;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.List;

/**
 * Hazelcast configurations with safe defaults: a cluster name of our own, loopback only, no multicast or cloud
 * discovery (a test or a demo never joins a stranger's cluster), logging through SLF4J, no phone-home.
 */
public final class Configs {
    private Configs() {}

    /** A member on 127.0.0.1:{@code port} that finds its peers at the given loopback ports. */
    public static Config member(String clusterName, int port, List<Integer> peerPorts) {
        Config config = new Config();
        config.setClusterName(clusterName);
        quiet(config);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (int peer : peerPorts) {
            join.getTcpIpConfig().addMember("127.0.0.1:" + peer);
        }
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        return config;
    }

    /** A client of the cluster at {@code addresses} ({@code host:port}). */
    public static ClientConfig client(String clusterName, List<String> addresses) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        for (String address : addresses) {
            config.getNetworkConfig().addAddress(address);
        }
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(60_000);
        return config;
    }

    private static void quiet(Config config) {
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
    }
}
