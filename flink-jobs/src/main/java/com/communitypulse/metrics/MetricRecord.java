package com.communitypulse.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@code pulse.metrics} record (CONTRACT §8): a window record ({@code kind = "window"}, key
 * community + window + start) or a rolling record ({@code kind = "rolling"}, key community).
 * Consumers treat them as upserts: a later record with the same key and a higher
 * {@code revision} replaces the earlier one. Ratios whose denominator is 0 are absent.
 */
public class MetricRecord {
    public static final String WINDOW = "window";
    public static final String ROLLING = "rolling";
    public static final String CONTRIBUTORS = "top_contributors";
    public static final String RETENTION = "retention";

    /** Metric names whose values are ratios (written as decimals); all others are integer counts. */
    public static final Set<String> RATIOS = Set.of("negative_ratio", "stickiness", "participation_rate", "conversion_rate",
            "click_to_order", "repurchase_rate", "d1", "d7", "d30");

    private String kind;
    private String communityId;
    private String window;
    private long windowStart;
    private long windowEnd;
    private long asOf;
    private long revision;
    private Map<String, Double> metrics = new LinkedHashMap<>();
    /** top_contributors only: member ids, best first, parallel to {@link #scores}. */
    private String[] members;
    private long[] scores;

    public MetricRecord() {}

    public static MetricRecord window(String communityId, String window, long start, long end, long revision) {
        MetricRecord r = new MetricRecord();
        r.kind = WINDOW;
        r.communityId = communityId;
        r.window = window;
        r.windowStart = start;
        r.windowEnd = end;
        r.revision = revision;
        return r;
    }

    public static MetricRecord rolling(String communityId, long asOf, long revision) {
        MetricRecord r = new MetricRecord();
        r.kind = ROLLING;
        r.communityId = communityId;
        r.asOf = asOf;
        r.revision = revision;
        return r;
    }

    public MetricRecord put(String name, double value) {
        metrics.put(name, value);
        return this;
    }

    /** Puts {@code num / den} unless the denominator is 0 (CONTRACT §8: omitted, not 0 or NaN). */
    public MetricRecord ratio(String name, double num, double den) {
        if (den != 0) {
            metrics.put(name, num / den);
        }
        return this;
    }

    /** The upsert key: what a compacted topic or a consumer's table keys on. */
    public String upsertKey() {
        return ROLLING.equals(kind) ? communityId + "|rolling" : communityId + "|" + kind + "|" + window + "|" + windowStart;
    }

    private static final com.fasterxml.jackson.core.JsonFactory KEY_JSON = new com.fasterxml.jackson.core.JsonFactory();

    /**
     * The Kafka record key of {@code pulse.metrics}: the upsert key as a JSON object with always the
     * same four fields in the same order, {@code {"community_id":..,"kind":..,"window":..,"window_start":..}}
     * (docs/TOPICS.md). Equal upsert keys give equal bytes, so log compaction and an
     * upsert-kafka table ({@code key.format = json}) keep exactly the latest revision per key. A
     * rolling record has one key per community: {@code "window": ""} and {@code "window_start": 0}
     * (not null: a Flink SQL primary key is NOT NULL).
     */
    public byte[] kafkaKey() {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(96);
        try (com.fasterxml.jackson.core.JsonGenerator g = KEY_JSON.createGenerator(b)) {
            boolean rolling = ROLLING.equals(kind);
            g.writeStartObject();
            g.writeStringField("community_id", communityId);
            g.writeStringField("kind", kind);
            g.writeStringField("window", rolling ? "" : window);
            g.writeNumberField("window_start", rolling ? 0L : windowStart);
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getCommunityId() { return communityId; }
    public void setCommunityId(String communityId) { this.communityId = communityId; }
    public String getWindow() { return window; }
    public void setWindow(String window) { this.window = window; }
    public long getWindowStart() { return windowStart; }
    public void setWindowStart(long windowStart) { this.windowStart = windowStart; }
    public long getWindowEnd() { return windowEnd; }
    public void setWindowEnd(long windowEnd) { this.windowEnd = windowEnd; }
    public long getAsOf() { return asOf; }
    public void setAsOf(long asOf) { this.asOf = asOf; }
    public long getRevision() { return revision; }
    public void setRevision(long revision) { this.revision = revision; }
    public Map<String, Double> getMetrics() { return metrics; }
    public void setMetrics(Map<String, Double> metrics) { this.metrics = metrics; }
    public String[] getMembers() { return members; }
    public void setMembers(String[] members) { this.members = members; }
    public long[] getScores() { return scores; }
    public void setScores(long[] scores) { this.scores = scores; }

    @Override
    public String toString() {
        return kind + "{" + communityId + (ROLLING.equals(kind) ? " as_of=" + asOf : " " + window + "@" + windowStart) + " rev=" + revision + " " + metrics + "}";
    }
}
