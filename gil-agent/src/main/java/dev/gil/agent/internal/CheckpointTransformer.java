package dev.gil.agent.internal;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's transformer: instruments the classes its filter accepts. A class that cannot be instrumented (an ASM
 * failure on an unusual class file) is left as it was, with a warning; the JVM never sees a half-made class.
 */
public final class CheckpointTransformer implements ClassFileTransformer {
    private static final Logger logger = LoggerFactory.getLogger(CheckpointTransformer.class);

    private final ClassFilter filter;
    private final Set<String> instrumented = ConcurrentHashMap.newKeySet();

    public CheckpointTransformer(ClassFilter filter) {
        this.filter = filter;
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        if (internalName == null) {
            return null; // a hidden class, such as a lambda's
        }
        String className = internalName.replace('/', '.');
        boolean polls = filter.accepts(className);
        boolean releaseAroundBlocking = filter.releasesAroundBlocking(className);
        if (!polls && !releaseAroundBlocking) {
            return null;
        }
        try {
            byte[] polled = CheckpointInserter.instrument(classFile, polls, releaseAroundBlocking);
            if (polled != null) {
                instrumented.add(className);
            }
            return polled;
        } catch (RuntimeException e) {
            logger.warn("gil4j agent: {} is left uninstrumented: {}", className, e.toString());
            return null;
        }
    }

    public ClassFilter filter() {
        return filter;
    }

    /** The classes instrumented so far. */
    public Set<String> instrumented() {
        return Set.copyOf(instrumented);
    }
}
