package dev.gil.multiprocess.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * System properties under gil4j's one namespace ({@code dev.gil.…}), with the names of earlier releases still read for
 * one release, with a warning (once per name) that says what to use instead. {@code docs/configuration.md} lists them.
 */
public final class Properties {
    /** SLF4J on first use: a program that never hears from us does not start its logging backend for us. */
    private static final class Log {
        static final Logger logger = LoggerFactory.getLogger(Properties.class);
    }

    private static final Set<String> warned = ConcurrentHashMap.newKeySet();

    private Properties() {}

    /** The value of {@code name}, else of its old name (with a warning), else {@code fallback}. */
    public static String get(String name, String oldName, String fallback) {
        String value = System.getProperty(name);
        if (value != null) {
            return value;
        }
        String old = System.getProperty(oldName);
        if (old == null) {
            return fallback;
        }
        if (warned.add(oldName)) {
            Log.logger.warn("-D{} is deprecated and will be ignored in the next release: use -D{}", oldName, name);
        }
        return old;
    }
}
