package com.communitypulse.alerts;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A pointer to one scored message kept as alert evidence (id, author, time, score; never text).
 * {@link #MOST_NEGATIVE_FIRST} is a total order, so "the k most negative" is the same on every replay.
 */
public class MessageRef {
    public static final Comparator<MessageRef> MOST_NEGATIVE_FIRST = Comparator.comparingDouble(MessageRef::getScore)
            .thenComparingLong(MessageRef::getTs).thenComparing(MessageRef::getEventId);

    private String eventId;
    private String userId;
    private long ts;
    private double score;

    public MessageRef() {}

    public MessageRef(String eventId, String userId, long ts, double score) {
        this.eventId = eventId;
        this.userId = userId;
        this.ts = ts;
        this.score = score;
    }

    /** Adds {@code r} to {@code worst} and keeps only the {@code k} most negative, in order. */
    public static void keepMostNegative(List<MessageRef> worst, MessageRef r, int k) {
        worst.add(r);
        worst.sort(MOST_NEGATIVE_FIRST);
        while (worst.size() > k) {
            worst.remove(worst.size() - 1);
        }
    }

    public String getEventId() { return eventId; }
    public void setEventId(String eventId) { this.eventId = eventId; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public long getTs() { return ts; }
    public void setTs(long ts) { this.ts = ts; }
    public double getScore() { return score; }
    public void setScore(double score) { this.score = score; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MessageRef)) return false;
        MessageRef m = (MessageRef) o;
        return ts == m.ts && Double.compare(score, m.score) == 0 && Objects.equals(eventId, m.eventId) && Objects.equals(userId, m.userId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId);
    }

    @Override
    public String toString() {
        return eventId + "(" + userId + "," + score + ")";
    }
}
