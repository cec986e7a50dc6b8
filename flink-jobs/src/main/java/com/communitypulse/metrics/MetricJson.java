package com.communitypulse.metrics;

import com.communitypulse.events.EventJson;
import com.communitypulse.privacy.OutputIds;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;

/** Writes {@link MetricRecord}s as the {@code pulse.metrics} JSON of CONTRACT §8 (schema: schemas/metric.schema.json). */
public final class MetricJson {
    private MetricJson() {}

    public static byte[] toJson(MetricRecord m) {
        return toJson(m, OutputIds.NONE);
    }

    /** With member ids (top contributors) as {@code ids} says. */
    public static byte[] toJson(MetricRecord m, OutputIds ids) {
        return EventJson.write(g -> write(g, m, ids));
    }

    static void write(JsonGenerator g, MetricRecord m, OutputIds ids) throws IOException {
        g.writeStartObject();
        g.writeNumberField("schema_version", EventJson.SCHEMA_VERSION);
        g.writeStringField("kind", m.getKind());
        g.writeStringField("community_id", m.getCommunityId());
        if (MetricRecord.ROLLING.equals(m.getKind())) {
            g.writeNumberField("as_of", m.getAsOf());
        } else {
            g.writeStringField("window", m.getWindow());
            g.writeNumberField("window_start", m.getWindowStart());
            g.writeNumberField("window_end", m.getWindowEnd());
        }
        g.writeNumberField("revision", m.getRevision());
        g.writeObjectFieldStart("metrics");
        for (Map.Entry<String, Double> e : m.getMetrics().entrySet()) {
            double v = e.getValue();
            if (MetricRecord.RATIOS.contains(e.getKey())) {
                g.writeNumberField(e.getKey(), Math.round(v * 1e6) / 1e6);
            } else {
                g.writeNumberField(e.getKey(), (long) v);
            }
        }
        g.writeEndObject();
        if (m.getMembers() != null) {
            if (ids.keyId() != null) g.writeStringField("key_id", ids.keyId());
            g.writeArrayFieldStart("top");
            for (int i = 0; i < m.getMembers().length; i++) {
                g.writeStartObject();
                g.writeStringField("user_id", ids.member(m.getMembers()[i]));
                g.writeNumberField("score", m.getScores()[i]);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }
}
