package dev.gil.benchmarks;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages the round-trip benchmarks send, as a Java program builds them: CPython's peer sends the same shapes
 * as a list and a dict. Each call builds a fresh one.
 */
public final class Messages {
    private Messages() {}

    /** An application's own message type, a record. */
    public record Ping(String name, int id, double score, List<String> tags) implements Serializable {}

    /** The shapes by name: {@code list}, {@code dict} and {@code record}. */
    public static Object of(String shape) {
        switch (shape) {
            case "list":
                return new ArrayList<>(List.of("ping", 12345, 1.5));
            case "dict":
                Map<String, Object> dict = new HashMap<>();
                dict.put("id", 12345);
                dict.put("name", "ping");
                dict.put("tags", new ArrayList<>(List.of("a", "b")));
                dict.put("score", 1.5);
                return dict;
            case "record":
                return new Ping("ping", 12345, 1.5, new ArrayList<>(List.of("a", "b")));
            default:
                throw new IllegalArgumentException("no message shape " + shape);
        }
    }
}
