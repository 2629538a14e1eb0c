package dev.gil.python;

import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The lock a Python program runs under, by the names the command line uses: {@code off} for none, or one of the
 * built-in schedulers with its default setting.
 */
public enum PythonGil {
    /** No lock: Jython as it is. */
    OFF("off"),
    /** {@link HandoffScheduler#unfair()}: the seed's phone booth. */
    UNFAIR("unfair"),
    /** {@link HandoffScheduler#fair()}: strict FIFO handoff. */
    FAIR("fair"),
    /** {@link HandoffScheduler#switchInterval} of 5 ms: CPython's. */
    SWITCH_INTERVAL("switchInterval"),
    /** {@link HandoffScheduler#ioPriority()}: Beazley's fix for the convoy. */
    IO_PRIORITY("ioPriority"),
    /** {@link HandoffScheduler#eventuallyFair} with a 1 ms bound. */
    EVENTUALLY_FAIR("eventuallyFair");

    private final String option;

    PythonGil(String option) {
        this.option = option;
    }

    /**
     * Returns the name the command line uses.
     *
     * @return the option's value, such as {@code switchInterval}
     */
    public String option() {
        return option;
    }

    /**
     * Finds a choice by its command-line name, ignoring case.
     *
     * @param option {@code off}, {@code unfair}, {@code fair}, {@code switchInterval}, {@code ioPriority} or
     *     {@code eventuallyFair}
     * @return the choice
     * @throws IllegalArgumentException naming the choices, for any other name
     */
    public static PythonGil of(String option) {
        for (PythonGil gil : values()) {
            if (gil.option.equalsIgnoreCase(option)) {
                return gil;
            }
        }
        throw new IllegalArgumentException("no such GIL choice '" + option + "': use one of "
                + Arrays.stream(values()).map(PythonGil::option).collect(Collectors.joining(", ")));
    }

    /**
     * Builds a new lock for this choice, named {@code python}.
     *
     * @return the lock, or {@code null} for {@link #OFF}
     */
    public GlobalInterpreterLock newLock() {
        HandoffScheduler scheduler = switch (this) {
            case OFF -> null;
            case UNFAIR -> HandoffScheduler.unfair();
            case FAIR -> HandoffScheduler.fair();
            case SWITCH_INTERVAL -> HandoffScheduler.switchInterval(HandoffScheduler.DEFAULT_SWITCH_INTERVAL);
            case IO_PRIORITY -> HandoffScheduler.ioPriority();
            case EVENTUALLY_FAIR -> HandoffScheduler.eventuallyFair(java.time.Duration.ofMillis(1));
        };
        return scheduler == null ? null
                : GlobalInterpreterLock.builder().scheduler(scheduler).name("python").build();
    }

    @Override
    public String toString() {
        return option;
    }
}
