package com.communitypulse.metrics;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Retention D1/D7/D30 (CONTRACT §4) per community and join day (calendar day in the configured zone):
 * of the members who joined on day d, how many were active on day d+1, d+7, d+30. Keyed by community.
 *
 * <p>A cohort's record ({@code kind = "retention"}, window {@code P1D}, {@code window_start} = day d)
 * is emitted four times, each once a day it depends on is complete (watermark past that day's end
 * plus the allowed lateness): after day d (cohort size), d+1, d+7 and d+30, with revisions 0–3. A
 * ratio appears only once its day is complete.
 *
 * <p><b>State</b>: counts per open cohort, removed with the last emission (four timers per cohort).
 */
public class RetentionFunction extends KeyedProcessFunction<String, RetentionDelta, MetricRecord> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = 86_400_000L;
    private static final int[] CHECKPOINT_DAYS = {0, 1, 7, 30};

    private final long latenessMs;
    private transient MapState<Long, long[]> cohorts;

    public RetentionFunction(long latenessMs) {
        this.latenessMs = latenessMs;
    }

    @Override
    public void open(OpenContext ctx) {
        cohorts = getRuntimeContext().getMapState(new MapStateDescriptor<>("retention-cohorts", Long.class, long[].class));
    }

    @Override
    public void processElement(RetentionDelta d, Context ctx, Collector<MetricRecord> out) throws Exception {
        long[] c = cohorts.get(d.getCohortDay());
        if (c == null) {
            c = new long[4];
            for (int k : CHECKPOINT_DAYS) {
                ctx.timerService().registerEventTimeTimer(d.getCohortDay() + (k + 1) * DAY + latenessMs);
            }
        }
        c[d.getSlot()]++;
        cohorts.put(d.getCohortDay(), c);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricRecord> out) throws Exception {
        for (int r = 0; r < CHECKPOINT_DAYS.length; r++) {
            long day = timestamp - latenessMs - (CHECKPOINT_DAYS[r] + 1) * DAY;
            long[] c = cohorts.get(day);
            if (c == null) {
                continue;
            }
            MetricRecord m = MetricRecord.window(ctx.getCurrentKey(), "P1D", day, day + DAY, r);
            m.setKind(MetricRecord.RETENTION);
            m.put("cohort", c[RetentionDelta.COHORT]);
            String[] names = {null, "d1", "d7", "d30"};
            for (int s = 1; s <= r; s++) {
                m.put(names[s] + "_retained", c[s]).ratio(names[s], c[s], c[RetentionDelta.COHORT]);
            }
            out.collect(m);
            if (r == CHECKPOINT_DAYS.length - 1) {
                cohorts.remove(day);
            }
        }
    }
}
