package com.communitypulse.connectors.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * One {@code pulse.alerts} record (CONTRACT §6, schema {@code flink-jobs/.../schemas/alert.schema.json}),
 * parsed leniently: only {@code alert_id}, {@code type} and {@code community_id} are required so that
 * a newer producer's extra fields never stop delivery.
 *
 * @param json the record as received; channels forward it unchanged to machine receivers
 */
public record Alert(String alertId, String type, String severity, String communityId, String userId,
                    long eventTs, long emittedAt, String state, JsonNode evidence, ObjectNode json) {

    /** Severities in ascending order; routing filters on this order. */
    public static final java.util.List<String> SEVERITIES = java.util.List.of("info", "warning", "critical");

    /** Position in {@link #SEVERITIES}; an unknown severity ranks highest so that it is never filtered out. */
    public int severityRank() {
        int i = SEVERITIES.indexOf(severity);
        return i < 0 ? SEVERITIES.size() : i;
    }

    public boolean isSpike() {
        return state != null;
    }

    /** @throws IllegalArgumentException naming what is wrong, for the dead-letter record */
    public static Alert parse(ObjectMapper mapper, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("empty record (null value)");
        }
        JsonNode n;
        try {
            n = mapper.readTree(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        ObjectNode o = (ObjectNode) n;
        return new Alert(required(o, "alert_id"), required(o, "type"), text(o, "severity", "warning"),
                required(o, "community_id"), text(o, "user_id", null), o.path("event_ts").asLong(0),
                o.path("emitted_at").asLong(0), text(o, "state", null),
                o.path("evidence").isObject() ? o.get("evidence") : mapper.createObjectNode(), o);
    }

    private static String required(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("missing or non-string field '" + field + "'");
        }
        return v.asText();
    }

    private static String text(ObjectNode o, String field, String dflt) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? dflt : v.asText();
    }
}
