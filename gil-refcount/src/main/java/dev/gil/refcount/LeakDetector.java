package dev.gil.refcount;

import dev.gil.refcount.internal.LeakRecord;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds reference-counted objects that were garbage-collected without being released: leaked native memory, pooled
 * buffers never returned. Modelled on Netty's {@code ResourceLeakDetector}.
 *
 * <p>A tracked object gets a record of where it was created and of its last {@link RefCounted#touch touches}. When a
 * tracked object becomes unreachable with a count above zero, the next tracked allocation (or
 * {@link #assertNoLeaks()}) reports it through SLF4J at ERROR level, logger {@code dev.gil.refcount.LeakDetector}.
 * Thread-safe; the settings are global.
 *
 * <pre>{@code
 * @AfterEach
 * void noLeaks() {
 *     LeakDetector.assertNoLeaks();   // fails the test that dropped an unreleased object
 * }
 * }</pre>
 *
 * <p>Settings, also as system properties read at start-up:
 * <ul>
 *   <li>{@value #LEVEL_PROPERTY}: {@code DISABLED}, {@code SAMPLED} (the default: one object in
 *       {@link #samplingInterval()}) or {@code PARANOID} (every object: for tests);</li>
 *   <li>{@value #SAMPLING_INTERVAL_PROPERTY}: the sampling interval, default {@value #DEFAULT_SAMPLING_INTERVAL};</li>
 *   <li>{@value #MAX_TOUCHES_PROPERTY}: touch records kept per object, default {@value #DEFAULT_MAX_TOUCHES}.</li>
 * </ul>
 */
public final class LeakDetector {
    /** System property naming the level. */
    public static final String LEVEL_PROPERTY = "dev.gil.leakDetection.level";
    /** System property giving the sampling interval. */
    public static final String SAMPLING_INTERVAL_PROPERTY = "dev.gil.leakDetection.samplingInterval";
    /** System property giving the number of touch records kept per object. */
    public static final String MAX_TOUCHES_PROPERTY = "dev.gil.leakDetection.maxRecords";
    /**
     * One tracked object in this many, at {@link Level#SAMPLED}. Tracking an object costs about as much as capturing
     * a stack trace (a few hundred nanoseconds), so 4096 keeps the average cost within a few percent of an
     * allocation; see the README's figures.
     */
    public static final int DEFAULT_SAMPLING_INTERVAL = 4096;
    /** Touch records kept per tracked object. */
    public static final int DEFAULT_MAX_TOUCHES = 4;

    private static final Logger logger = LoggerFactory.getLogger(LeakDetector.class);
    private static final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private static final Set<LeakRecord> live = ConcurrentHashMap.newKeySet();
    private static final Queue<String> unasserted = new ConcurrentLinkedQueue<>();

    private static volatile Level level = parseLevel(System.getProperty(LEVEL_PROPERTY));
    private static volatile int samplingInterval =
            positive(SAMPLING_INTERVAL_PROPERTY, DEFAULT_SAMPLING_INTERVAL);
    private static volatile int maxTouches = positive(MAX_TOUCHES_PROPERTY, DEFAULT_MAX_TOUCHES);

    private LeakDetector() {}

    /** How many objects are tracked. */
    public enum Level {
        /** None: no cost at all beyond one volatile read per object. */
        DISABLED,
        /** One object in {@link #samplingInterval()}, chosen at random: cheap enough for production. */
        SAMPLED,
        /** Every object: for tests, where a leak should fail the build. */
        PARANOID
    }

    /**
     * Returns the current level.
     *
     * @return the level
     */
    public static Level level() {
        return level;
    }

    /**
     * Sets the level for objects created from now on.
     *
     * @param newLevel the level
     */
    public static void setLevel(Level newLevel) {
        level = Objects.requireNonNull(newLevel, "level");
    }

    /**
     * Returns the sampling interval: at {@link Level#SAMPLED}, one object in this many is tracked.
     *
     * @return the interval
     */
    public static int samplingInterval() {
        return samplingInterval;
    }

    /**
     * Sets the sampling interval.
     *
     * @param interval a positive number
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public static void setSamplingInterval(int interval) {
        if (interval <= 0) {
            throw new IllegalArgumentException("sampling interval must be positive but was " + interval);
        }
        samplingInterval = interval;
    }

    /**
     * Collects garbage, then fails if any tracked object became unreachable without being released since the last
     * call (including leaks already logged). For tests: run it with {@link Level#PARANOID}. It relies on
     * {@link System#gc()} doing a full collection, which the JDK's collectors do unless
     * {@code -XX:+DisableExplicitGC} is set.
     *
     * @throws AssertionError listing each leak with its creation site and touch records
     */
    public static void assertNoLeaks() {
        List<String> reports = new ArrayList<>();
        for (int attempt = 0; attempt < 2; attempt++) {
            System.gc();
            for (LeakRecord record : live) {
                // A phantom reference is cleared as soon as its object is found unreachable; no need to wait for
                // the reference handler thread to enqueue it.
                if (record.refersTo(null) && !record.isClosed()) {
                    reportLeak(record);
                }
            }
            drainCollected();
        }
        for (String report; (report = unasserted.poll()) != null; ) {
            reports.add(report);
        }
        if (!reports.isEmpty()) {
            throw new AssertionError(reports.size() + " reference-counted object(s) leaked:\n\n"
                    + String.join("\n", reports));
        }
    }

    /** Starts tracking {@code object} if the level and sampling say so; {@code null} if not tracked. */
    static LeakRecord track(Object object) {
        Level current = level;
        if (current == Level.DISABLED || (current == Level.SAMPLED && !sampled())) {
            return null;
        }
        drainCollected();
        LeakRecord record = new LeakRecord(object, collected, maxTouches);
        live.add(record);
        return record;
    }

    /** One in {@link #samplingInterval}: a mask for powers of two (no rejection loop), a bounded draw otherwise. */
    private static boolean sampled() {
        int interval = samplingInterval;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return (interval & (interval - 1)) == 0 ? (random.nextInt() & (interval - 1)) == 0 : random.nextInt(interval) == 0;
    }

    /** The object reached zero: forget it. */
    static void untrack(LeakRecord record) {
        if (record.close()) {
            live.remove(record);
        }
    }

    private static void drainCollected() {
        for (Reference<?> ref; (ref = collected.poll()) != null; ) {
            LeakRecord record = (LeakRecord) ref;
            if (!record.isClosed()) {
                reportLeak(record);
            }
        }
    }

    private static void reportLeak(LeakRecord record) {
        String report = record.report();
        if (record.close()) {
            live.remove(record);
            logger.error("{}", report);
            unasserted.add(report);
        }
    }

    private static Level parseLevel(String value) {
        if (value == null || value.isBlank()) {
            return Level.SAMPLED;
        }
        try {
            return Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            logger.warn("{}={} is not one of DISABLED, SAMPLED, PARANOID; using SAMPLED", LEVEL_PROPERTY, value);
            return Level.SAMPLED;
        }
    }

    private static int positive(String property, int fallback) {
        String value = System.getProperty(property);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // fall through to the warning
        }
        logger.warn("{}={} is not a positive number; using {}", property, value, fallback);
        return fallback;
    }
}
