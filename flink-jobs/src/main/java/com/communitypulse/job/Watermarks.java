package com.communitypulse.job;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.events.ParsedRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The one watermark strategy of all sources: bounded out-of-orderness per partition advancing with
 * the data ({@link StepWatermarks}), idleness for quiet partitions, and optional alignment
 * ({@code watermark.alignment-drift}). Whether an event is late is decided per partition right
 * after the source ({@code RouteInputFunction}, checkpointed), so results do not depend on how partitions interleave and
 * alignment is only a memory bound for very uneven replays. Dead letters carry no event time and
 * never move the watermark.
 */
public final class Watermarks {
    public static final String ALIGNMENT_GROUP = "pulse-inputs";
    /** Watermarks advance with the data in steps of this much event time (see {@link StepWatermarks}). */
    public static final long STEP_MS = 1_000L;

    private Watermarks() {}

    public static WatermarkStrategy<ParsedRecord> strategy(PulseConfig cfg) {
        long ooo = cfg.millis(PulseConfig.OUT_OF_ORDERNESS);
        int every = cfg.get(PulseConfig.WATERMARK_EVERY_RECORDS);
        WatermarkStrategy<ParsedRecord> base = ctx -> new StepWatermarks<>(ooo, STEP_MS, every);
        WatermarkStrategy<ParsedRecord> s = base
                .withTimestampAssigner((r, recordTs) -> r.isEvent() ? r.getEvent().getTs() : Long.MIN_VALUE)
                .withIdleness(cfg.get(PulseConfig.IDLENESS));
        Duration drift = cfg.get(PulseConfig.ALIGNMENT_DRIFT);
        return drift.isZero() ? s : s.withWatermarkAlignment(ALIGNMENT_GROUP, drift, Duration.ofMillis(200));
    }
}
