package com.communitypulse.alerts;

import com.communitypulse.events.EventJson;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the evidence JSON object of an {@link AlertRecord} and the parts alert functions share. */
public final class Evidence {
    private Evidence() {}

    /** Writes one JSON object: {@code body} writes its fields. */
    public static String object(EventJson.Writer body) {
        return new String(EventJson.write(g -> {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        }), StandardCharsets.UTF_8);
    }

    /** Ratios are rounded to 6 decimals so that evidence is stable text, like the metric records. */
    public static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /** {@code "field": [{"term": t, "count": n}, ...]}: the {@code limit} most frequent, ties by term. */
    public static void topTerms(JsonGenerator g, String field, Map<String, Integer> counts, int limit) throws IOException {
        g.writeArrayFieldStart(field);
        for (Map.Entry<String, Integer> e : top(counts, limit)) {
            g.writeStartObject();
            g.writeStringField("term", e.getKey());
            g.writeNumberField("count", e.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code "field": {"refund": 3, ...}} in descending count, ties by name. */
    public static void counts(JsonGenerator g, String field, Map<String, Integer> counts) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Integer> e : top(counts, Integer.MAX_VALUE)) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** {@code "field": [{"event_id", "user_id", "score"}, ...]} most negative first. */
    public static void messages(JsonGenerator g, String field, List<MessageRef> refs) throws IOException {
        g.writeArrayFieldStart(field);
        for (MessageRef r : refs) {
            g.writeStartObject();
            g.writeStringField("event_id", r.getEventId());
            g.writeStringField("user_id", r.getUserId());
            g.writeNumberField("ts", r.getTs());
            g.writeNumberField("score", round(r.getScore()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static List<Map.Entry<String, Integer>> top(Map<String, Integer> counts, int limit) {
        List<Map.Entry<String, Integer>> l = new ArrayList<>(counts.entrySet());
        l.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Integer.compare(b.getValue(), a.getValue()));
        return l.size() > limit ? l.subList(0, limit) : l;
    }
}
