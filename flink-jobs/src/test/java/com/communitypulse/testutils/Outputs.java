package com.communitypulse.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The output records of one run, per topic, from JSON-lines files or Kafka; with the upsert view of metrics. */
public final class Outputs {
    private static final ObjectMapper OM = new ObjectMapper();
    private final Map<String, List<JsonNode>> byTopic = new HashMap<>();

    public static Outputs fromDir(Path dir) throws IOException {
        Outputs o = new Outputs();
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".jsonl")) continue;
                String topic = name.substring(0, name.length() - ".jsonl".length());
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) o.add(topic, line);
                }
            }
        }
        return o;
    }

    public void add(String topic, String json) {
        try {
            byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(OM.readTree(json));
        } catch (IOException e) {
            throw new AssertionError("output of " + topic + " is not JSON: " + json, e);
        }
    }

    public List<JsonNode> topic(String topic) {
        return byTopic.getOrDefault(topic, List.of());
    }

    /**
     * The latest revision of every metric record: windows keyed {@code community|window|start}, other
     * kinds {@code community|kind|window|start}, rolling records {@code community|rolling|as_of}.
     */
    public Map<String, JsonNode> latestMetrics() {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode m : topic("pulse.metrics")) {
            String key = metricKey(m);
            JsonNode prev = out.get(key);
            if (prev == null || prev.get("revision").asLong() < m.get("revision").asLong()) {
                out.put(key, m);
            }
        }
        return out;
    }

    /** The key under which {@link #latestMetrics} keeps the latest revision of a metric record. */
    public static String metricKey(JsonNode m) {
        String kind = m.get("kind").asText();
        return kind.equals("rolling")
                ? m.get("community_id").asText() + "|rolling|" + m.get("as_of").asLong()
                : m.get("community_id").asText() + "|" + (kind.equals("window") ? "" : kind + "|") + m.get("window").asText() + "|"
                        + m.get("window_start").asLong();
    }

    /** Metric values of a record as a sorted map. */
    public static Map<String, Double> values(JsonNode m) {
        Map<String, Double> v = new TreeMap<>();
        m.get("metrics").fields().forEachRemaining(e -> v.put(e.getKey(), e.getValue().asDouble()));
        return v;
    }

    /** An alert without its wall-clock field, for comparing runs. */
    public static JsonNode withoutEmittedAt(JsonNode alert) {
        ObjectNode copy = alert.deepCopy();
        copy.remove("emitted_at");
        return copy;
    }
}
