package dev.gil.multiprocess.internal.channel;

import java.lang.reflect.Modifier;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;

/**
 * Names our NIO selector provider to a child, so that its first socket does not look for one. Without the system
 * property {@value #PROPERTY}, the JDK's first {@code SelectorProvider.provider()} asks a {@code ServiceLoader},
 * which opens every jar on the class path to find none. The child has
 * our class path, so the search would find the provider we have; naming it is the same answer without the search.
 */
public final class SelectorProviders {
    static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";

    private SelectorProviders() {}

    /**
     * The {@code -D} option naming our provider, or nothing if the child's options set the property themselves or
     * the provider cannot be named (the JDK needs a public class with a public no-argument constructor).
     */
    public static List<String> sameAsOurs(List<String> childOptions) {
        for (String option : childOptions) {
            if (option.startsWith("-D" + PROPERTY + "=")) {
                return List.of();
            }
        }
        return Ours.OPTION;
    }

    /** Our provider does not change: named once, on first need. */
    private static final class Ours {
        static final List<String> OPTION = name(SelectorProvider.provider().getClass());

        private static List<String> name(Class<?> provider) {
            try {
                if (Modifier.isPublic(provider.getModifiers())
                        && Modifier.isPublic(provider.getConstructor().getModifiers())) {
                    return List.of("-D" + PROPERTY + "=" + provider.getName());
                }
            } catch (NoSuchMethodException noDefaultConstructor) {
                // the child finds it by itself
            }
            return List.of();
        }
    }
}
