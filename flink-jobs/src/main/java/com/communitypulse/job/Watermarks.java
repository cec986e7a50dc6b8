package com.communitypulse.job;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.events.ParsedRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The one watermark strategy of all sources: bounded out-of-orderness per partition advancing with
 * the data ({@link StepWatermarks}), idleness for
 * quiet partitions, and alignment so that no partition runs ahead of the slowest by more than
 * the configured drift. Alignment keeps "late" a property of the data rather than of read speed:
 * an event counts as late only if it is far behind its peers, however the partitions interleave.
 * Dead letters carry no event time and never move the watermark.
 */
public final class Watermarks {
    public static final String ALIGNMENT_GROUP = "pulse-inputs";
    /** Watermarks advance with the data in steps of this much event time (see {@link StepWatermarks}). */
    public static final long STEP_MS = 1_000L;

    private Watermarks() {}

    public static WatermarkStrategy<ParsedRecord> strategy(PulseConfig cfg) {
        long ooo = cfg.millis(PulseConfig.OUT_OF_ORDERNESS);
        WatermarkStrategy<ParsedRecord> base = ctx -> new StepWatermarks<>(ooo, STEP_MS);
        return base
                .withTimestampAssigner((r, recordTs) -> r.isEvent() ? r.getEvent().getTs() : Long.MIN_VALUE)
                .withIdleness(cfg.get(PulseConfig.IDLENESS))
                .withWatermarkAlignment(ALIGNMENT_GROUP, cfg.get(PulseConfig.ALIGNMENT_DRIFT), Duration.ofMillis(200));
    }
}
