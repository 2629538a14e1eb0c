/**
 * The {@code TaskPool} API on a Hazelcast cluster. Only {@code dev.gil.cluster} is exported; its internals are not.
 */
module dev.gil.cluster {
    requires transitive dev.gil.multiprocess;
    requires transitive com.hazelcast.core;
    requires com.google.common;
    requires org.slf4j;

    exports dev.gil.cluster;
}
