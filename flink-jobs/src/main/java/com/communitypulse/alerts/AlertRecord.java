package com.communitypulse.alerts;

import java.util.Objects;

/**
 * One alert of {@code pulse.alerts} (CONTRACT §6) as a Flink POJO; written by {@link AlertJson}
 * (schema: {@code schemas/alert.schema.json}). Shared by all alert types: member alerts set
 * {@code userId}, episode alerts (spikes) set {@code state}.
 *
 * <p><b>Evidence</b> is kept as a pre-serialized JSON object string ({@link Evidence} builds it).
 * Each alert type has its own evidence shape (numbers, baselines, term lists, message ids); a
 * string keeps the POJO Kryo-free and the serializer trivial, and {@link AlertJson} embeds it
 * verbatim. Evidence is written once by the function that creates the alert and never parsed in the job.
 *
 * <p>All fields but {@code emittedAt} (wall clock at emission) are functions of the input and its
 * event time, so a replay yields equal records apart from {@code emittedAt}.
 */
public class AlertRecord {
    private String alertId;
    private AlertType type;
    private Severity severity;
    private String communityId;
    private String userId;
    private long eventTs;
    private long emittedAt;
    private AlertState state;
    private String evidence;

    /** Flink POJO constructor. */
    public AlertRecord() {}

    public AlertRecord(String alertId, AlertType type, Severity severity, String communityId, String userId,
                       long eventTs, long emittedAt, AlertState state, String evidence) {
        this.alertId = Objects.requireNonNull(alertId, "alertId");
        this.type = Objects.requireNonNull(type, "type");
        this.severity = Objects.requireNonNull(severity, "severity");
        this.communityId = Objects.requireNonNull(communityId, "communityId");
        this.userId = userId;
        this.eventTs = eventTs;
        this.emittedAt = emittedAt;
        if (type.isEpisode() != (state != null)) {
            throw new IllegalArgumentException(type + (type.isEpisode() ? " needs a state" : " has no state"));
        }
        this.state = state;
        this.evidence = evidence == null ? "{}" : evidence;
    }

    public String getAlertId() { return alertId; }
    public void setAlertId(String alertId) { this.alertId = alertId; }
    public AlertType getType() { return type; }
    public void setType(AlertType type) { this.type = type; }
    public Severity getSeverity() { return severity; }
    public void setSeverity(Severity severity) { this.severity = severity; }
    public String getCommunityId() { return communityId; }
    public void setCommunityId(String communityId) { this.communityId = communityId; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public long getEventTs() { return eventTs; }
    public void setEventTs(long eventTs) { this.eventTs = eventTs; }
    public long getEmittedAt() { return emittedAt; }
    public void setEmittedAt(long emittedAt) { this.emittedAt = emittedAt; }
    public AlertState getState() { return state; }
    public void setState(AlertState state) { this.state = state; }
    /** The evidence JSON object, serialized. */
    public String getEvidence() { return evidence; }
    public void setEvidence(String evidence) { this.evidence = evidence; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof AlertRecord)) return false;
        AlertRecord a = (AlertRecord) o;
        return eventTs == a.eventTs && emittedAt == a.emittedAt && Objects.equals(alertId, a.alertId) && type == a.type
                && severity == a.severity && Objects.equals(communityId, a.communityId) && Objects.equals(userId, a.userId)
                && state == a.state && Objects.equals(evidence, a.evidence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, eventTs, state);
    }

    @Override
    public String toString() {
        return type + (state == null ? "" : "/" + state.wireName()) + "{" + alertId + " " + severity.wireName() + " c=" + communityId
                + (userId == null ? "" : " u=" + userId) + " ts=" + eventTs + " " + evidence + "}";
    }
}
