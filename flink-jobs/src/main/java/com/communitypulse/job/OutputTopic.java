package com.communitypulse.job;

import com.communitypulse.flags.Option;
import com.communitypulse.config.PulseConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** The output topics (CONTRACT §8) and their delivery guarantees (CONTRACT §9). */
public enum OutputTopic {
    METRICS(PulseConfig.TOPIC_METRICS, DeliveryGuarantee.EXACTLY_ONCE),
    LIFECYCLE(PulseConfig.TOPIC_LIFECYCLE, DeliveryGuarantee.EXACTLY_ONCE),
    /**
     * At-least-once by default (CONTRACT §9: deterministic alert_id, consumers de-duplicate): a
     * transactional alert becomes readable only at the next checkpoint, which alone would exceed the
     * alert latency budget in docs/BENCHMARKS.md. {@code kafka.alerts-exactly-once} restores transactions.
     */
    ALERTS(PulseConfig.TOPIC_ALERTS, DeliveryGuarantee.AT_LEAST_ONCE),
    /** Dead letters and late events are accounted for exactly, so that every input can be traced. */
    DLQ(PulseConfig.TOPIC_DLQ, DeliveryGuarantee.EXACTLY_ONCE),
    LATE(PulseConfig.TOPIC_LATE, DeliveryGuarantee.EXACTLY_ONCE);

    private final Option<String> topicOption;
    private final DeliveryGuarantee guarantee;

    OutputTopic(Option<String> topicOption, DeliveryGuarantee guarantee) {
        this.topicOption = topicOption;
        this.guarantee = guarantee;
    }

    public String topic(PulseConfig cfg) {
        return cfg.get(topicOption);
    }

    /** The delivery guarantee of this topic under {@code cfg}. */
    public DeliveryGuarantee guarantee(PulseConfig cfg) {
        if (this == ALERTS && cfg.get(PulseConfig.ALERTS_EXACTLY_ONCE)) {
            return DeliveryGuarantee.EXACTLY_ONCE;
        }
        return guarantee;
    }

    /**
     * Topic-level configs for the project's tools that create the output topics (demo, tests):
     * the dead-letter topic keeps raw input — member ids and chat text — so it gets the short
     * {@code topic.dlq.retention}; the others keep the default of those tools (retention.ms=-1,
     * since records carry event-time timestamps that may be far in the past).
     */
    public static java.util.Map<String, java.util.Map<String, String>> topicConfigs(PulseConfig cfg) {
        // Dead letters are written with the current time as timestamp, so retention counts from arrival.
        return java.util.Map.of(DLQ.topic(cfg), java.util.Map.of("retention.ms", Long.toString(cfg.millis(PulseConfig.DLQ_RETENTION))));
    }

    /**
     * The optional configs of a compacted {@code pulse.metrics} (docs/TOPICS.md): its
     * records are upserts keyed by (community_id, kind, window, window_start), so compaction keeps the
     * latest revision of every key. Not the default of the project's tools: compaction keeps every
     * window forever (one record per key), so a deployment picks it, or {@code compact,delete} with a
     * retention, knowingly. {@code min.compaction.lag.ms} leaves the revisions of open windows
     * readable for an hour (consumers behind by less still see each revision).
     */
    public static java.util.Map<String, String> compactedMetricsConfig() {
        return java.util.Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "3600000");
    }

    /** Stable short name for uids and transactional id prefixes. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
