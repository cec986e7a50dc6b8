package com.communitypulse.testutils;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Validates records against the JSON Schemas in {@code src/main/resources/schemas}. */
public final class Schemas {
    private static final ObjectMapper OM = new ObjectMapper();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private Schemas() {}

    /** Schema file per topic. */
    public static String forTopic(String topic) {
        switch (topic) {
            case "pulse.messages": return "message";
            case "pulse.clicks": return "click";
            case "pulse.orders": return "order";
            case "pulse.metrics": return "metric";
            case "pulse.dlq": return "dead-letter";
            case "pulse.late": return "late-event";
            case "pulse.alerts": return "alert";
            case "pulse.lifecycle": return "lifecycle";
            default: throw new IllegalArgumentException(topic);
        }
    }

    /** Validation messages (empty when valid). */
    public static Set<ValidationMessage> validate(String schema, String json) {
        JsonSchema s = CACHE.computeIfAbsent(schema, name -> {
            try (InputStream in = Schemas.class.getResourceAsStream("/schemas/" + name + ".schema.json")) {
                if (in == null) throw new IllegalArgumentException("no schema " + name);
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return s.validate(OM.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }
}
