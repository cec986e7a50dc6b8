package com.communitypulse.job;

import com.communitypulse.events.PulseEvent;
import com.communitypulse.lifecycle.LifecycleRecord;
import com.communitypulse.metrics.GaugeDelta;
import com.communitypulse.metrics.RetentionDelta;
import com.communitypulse.metrics.WindowPartial;
import com.communitypulse.sentiment.ScoredMessage;

/**
 * One record on the job's single community shuffle: a window partial, a gauge delta sum, a
 * retention delta, a reply or reaction received, a scored message or a lifecycle transition, tagged
 * with what it is. Every community-keyed operator reads one kind ({@link CommunityRouter}); one
 * {@code keyBy(community)} carries them all, so the community side of the job is one task instead of
 * one per operator (docs/BENCHMARKS.md, tenth round).
 */
public final class CommunityInput {
    /** What a record holds; the ordinal is the tag on the wire, so only append. */
    public enum Kind { PARTIAL, GAUGE, RETENTION, ENGAGEMENT, SCORED, LIFECYCLE }

    private final Kind kind;
    private final Object value;

    CommunityInput(Kind kind, Object value) {
        this.kind = kind;
        this.value = value;
    }

    public static CommunityInput of(WindowPartial p) {
        return new CommunityInput(Kind.PARTIAL, p);
    }

    public static CommunityInput of(GaugeDelta d) {
        return new CommunityInput(Kind.GAUGE, d);
    }

    public static CommunityInput of(RetentionDelta d) {
        return new CommunityInput(Kind.RETENTION, d);
    }

    /** A reply or reaction, keyed by the community it happened in. */
    public static CommunityInput of(PulseEvent e) {
        return new CommunityInput(Kind.ENGAGEMENT, e);
    }

    public static CommunityInput of(ScoredMessage m) {
        return new CommunityInput(Kind.SCORED, m);
    }

    public static CommunityInput of(LifecycleRecord r) {
        return new CommunityInput(Kind.LIFECYCLE, r);
    }

    public Kind kind() {
        return kind;
    }

    public Object value() {
        return value;
    }

    /** The key of every community-keyed operator ({@code "*"} for the global totals). */
    public String communityId() {
        return switch (kind) {
            case PARTIAL -> ((WindowPartial) value).getCommunityId();
            case GAUGE -> ((GaugeDelta) value).getCommunityId();
            case RETENTION -> ((RetentionDelta) value).getCommunityId();
            case ENGAGEMENT -> ((PulseEvent) value).getCommunityId();
            case SCORED -> ((ScoredMessage) value).getCommunityId();
            case LIFECYCLE -> ((LifecycleRecord) value).getCommunityId();
        };
    }

    @Override
    public String toString() {
        return kind + ":" + value;
    }
}
