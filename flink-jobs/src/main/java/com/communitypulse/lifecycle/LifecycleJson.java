package com.communitypulse.lifecycle;

import com.communitypulse.events.EventJson;
import com.communitypulse.privacy.OutputIds;

/** Writes {@link LifecycleRecord}s as the {@code pulse.lifecycle} JSON of CONTRACT §8 (schema: {@code schemas/lifecycle.schema.json}). */
public final class LifecycleJson {
    private LifecycleJson() {}

    public static byte[] toJson(LifecycleRecord r) {
        return toJson(r, OutputIds.NONE);
    }

    /** With member ids as {@code ids} says (a pseudonym plus key_id by default). */
    public static byte[] toJson(LifecycleRecord r, OutputIds ids) {
        return EventJson.write(g -> {
            g.writeStartObject();
            g.writeNumberField("schema_version", EventJson.SCHEMA_VERSION);
            g.writeStringField("community_id", r.getCommunityId());
            g.writeStringField("user_id", ids.member(r.getUserId()));
            if (ids.keyId() != null) g.writeStringField("key_id", ids.keyId());
            g.writeStringField("from", r.getFrom() == null ? LifecycleStage.NONE : r.getFrom().wireName());
            g.writeStringField("to", r.getTo().wireName());
            g.writeNumberField("event_ts", r.getEventTs());
            g.writeStringField("reason", r.getReason());
            g.writeEndObject();
        });
    }
}
