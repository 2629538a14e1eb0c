/**
 * Reference counts made thread-safe six ways, with misuse and leak detection. Only {@code dev.gil.refcount} is
 * exported; its internals are not.
 */
module dev.gil.refcount {
    requires transitive dev.gil.core;
    requires org.slf4j;

    exports dev.gil.refcount;
}
