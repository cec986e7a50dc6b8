package com.communitypulse.lifecycle;

import java.util.Objects;

/**
 * One transition of {@code pulse.lifecycle} (CONTRACT §8): a member of a community moved from one stage
 * to another at an event time, for a reason. Written by {@link LifecycleJson} (schema:
 * {@code schemas/lifecycle.schema.json}). {@code from} is null for a member's first record
 * ({@code "none"} on the wire).
 *
 * <p>Reasons: {@code joined}, {@code rejoined}, {@code first_activity}, {@code new_period_over},
 * {@code no_speaking}, {@code spoke}, {@code no_activity} (at_risk), {@code inactive} (churned after
 * the churn period), {@code left}, {@code active_again}, {@code settled} (reactivated → active).
 */
public class LifecycleRecord {
    private String communityId;
    private String userId;
    private LifecycleStage from;
    private LifecycleStage to;
    private long eventTs;
    private String reason;

    /** Flink POJO constructor. */
    public LifecycleRecord() {}

    public LifecycleRecord(String communityId, String userId, LifecycleStage from, LifecycleStage to, long eventTs, String reason) {
        this.communityId = communityId;
        this.userId = userId;
        this.from = from;
        this.to = to;
        this.eventTs = eventTs;
        this.reason = reason;
    }

    public String getCommunityId() { return communityId; }
    public void setCommunityId(String communityId) { this.communityId = communityId; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public LifecycleStage getFrom() { return from; }
    public void setFrom(LifecycleStage from) { this.from = from; }
    public LifecycleStage getTo() { return to; }
    public void setTo(LifecycleStage to) { this.to = to; }
    public long getEventTs() { return eventTs; }
    public void setEventTs(long eventTs) { this.eventTs = eventTs; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof LifecycleRecord)) return false;
        LifecycleRecord r = (LifecycleRecord) o;
        return eventTs == r.eventTs && Objects.equals(communityId, r.communityId) && Objects.equals(userId, r.userId)
                && from == r.from && to == r.to && Objects.equals(reason, r.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(communityId, userId, to, eventTs);
    }

    @Override
    public String toString() {
        return communityId + "/" + userId + " " + (from == null ? LifecycleStage.NONE : from.wireName()) + "->" + to.wireName()
                + " @" + eventTs + " (" + reason + ")";
    }
}
