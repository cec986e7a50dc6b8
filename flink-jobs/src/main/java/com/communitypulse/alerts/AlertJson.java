package com.communitypulse.alerts;

import com.communitypulse.events.EventJson;
import com.communitypulse.privacy.OutputIds;

/** Writes {@link AlertRecord}s as the {@code pulse.alerts} JSON of CONTRACT §6 (schema: {@code schemas/alert.schema.json}). */
public final class AlertJson {
    private AlertJson() {}

    public static byte[] toJson(AlertRecord a) {
        return toJson(a, OutputIds.NONE);
    }

    /** With member ids (user_id, evidence user_ids) as {@code ids} says: original ids by default, else pseudonyms plus key_id. */
    public static byte[] toJson(AlertRecord a, OutputIds ids) {
        String evidence = ids.alertEvidence(a.getEvidence());
        boolean withKey = ids.alertsPseudonymised() && (a.getUserId() != null || !evidence.equals(a.getEvidence()));
        return EventJson.write(g -> {
            g.writeStartObject();
            g.writeNumberField("schema_version", EventJson.SCHEMA_VERSION);
            g.writeStringField("alert_id", a.getAlertId());
            g.writeStringField("type", a.getType().name());
            g.writeStringField("severity", a.getSeverity().wireName());
            g.writeStringField("community_id", a.getCommunityId());
            if (a.getUserId() != null) g.writeStringField("user_id", ids.alertMember(a.getUserId()));
            if (withKey) g.writeStringField("key_id", ids.keyId());
            g.writeNumberField("event_ts", a.getEventTs());
            g.writeNumberField("emitted_at", a.getEmittedAt());
            if (a.getState() != null) g.writeStringField("state", a.getState().wireName());
            g.writeFieldName("evidence");
            // Built by Evidence with a JSON generator, so it is a valid object; embedding avoids a parse per alert.
            g.writeRawValue(evidence);
            g.writeEndObject();
        });
    }
}
