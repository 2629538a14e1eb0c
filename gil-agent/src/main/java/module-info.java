/**
 * The JVM's eval breaker: a Java agent that inserts lock polls at loop back-edges and method entries. Only
 * {@code dev.gil.agent} is exported (instrumented code calls its {@code Poll}); its internals are not.
 */
module dev.gil.agent {
    requires transitive dev.gil.core;
    requires transitive java.instrument;
    requires jdk.attach;
    requires org.objectweb.asm;
    requires org.slf4j;

    exports dev.gil.agent;
}
