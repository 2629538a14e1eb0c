package dev.gil.multiprocess.internal.launch;

import java.util.List;
import java.util.Map;

/**
 * The garbage collector a child JVM runs: the serial collector, unless the user chose one.
 *
 * <p>A collector named in the child's options, or in the {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} or
 * {@code _JAVA_OPTIONS} it inherits, is the user's choice, and we add none: two collectors on one command line stop
 * the JVM before it starts ("Multiple garbage collectors selected").
 *
 * <p>Why serial, measured with children started in random order: a child's heap is usually small and short-lived, and
 * the serial collector runs allocation-heavy work faster there than G1 (a counting loop is the same under both) and
 * receives a fresh child's large messages faster. G1 has one advantage on JDK 17 only: it alone maps the default CDS
 * archive's heap objects there, the boot module graph among them, so a trivial child boots sooner under it (JDK 18 and
 * later load them under the serial collector too, JDK-8273508). So on JDK 17, {@code -XX:+UseG1GC} in the child's
 * options is the choice for many short tasks; the default is for the work a process is usually started for.
 */
public final class ChildCollector {
    /** The option that selects our collector. */
    public static final String DEFAULT_OPTION = "-XX:+UseSerialGC";

    private static final List<String> INHERITED_OPTIONS = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS");

    private ChildCollector() {}

    /**
     * The collector options to add to a child's command line: ours, or none if the user chose.
     *
     * @param jvmOptions the options the child is given
     * @param environment the child's environment, as it will start with it
     */
    static List<String> optionsFor(List<String> jvmOptions, Map<String, String> environment) {
        return userChose(jvmOptions, environment) ? List.of() : List.of(DEFAULT_OPTION);
    }

    /** Loops and no regex: this runs before a script's first child starts, where each first use costs. */
    private static boolean userChose(List<String> jvmOptions, Map<String, String> environment) {
        for (String option : jvmOptions) {
            if (selectsCollector(option)) {
                return true;
            }
        }
        for (String variable : INHERITED_OPTIONS) {
            String value = environment.get(variable);
            if (value == null) {
                continue;
            }
            for (String option : value.trim().split("\\s+")) {
                if (selectsCollector(option)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code option} is {@code -XX:+Use<name>GC} or {@code -XX:-Use<name>GC}, the name letters or digits. */
    static boolean selectsCollector(String option) {
        if (!(option.startsWith("-XX:+Use") || option.startsWith("-XX:-Use")) || !option.endsWith("GC")
                || option.length() <= "-XX:+UseGC".length()) {
            return false;
        }
        for (int i = "-XX:+Use".length(); i < option.length() - 2; i++) {
            char c = option.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
