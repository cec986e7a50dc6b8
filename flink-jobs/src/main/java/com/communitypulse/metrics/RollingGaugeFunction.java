package com.communitypulse.metrics;

import com.communitypulse.state.WriteBackFunction;
import com.communitypulse.state.WriteBackValue;
import java.util.List;

import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sums {@link GaugeDelta}s into a community's rolling gauges and emits a rolling metric record
 * (CONTRACT §8) at each emission boundary where a value changed: at most once per rolling emit
 * interval of event time. Keyed by community ({@code "*"} for the global total).
 *
 * <p>A record {@code as_of t} is emitted when the watermark reaches {@code t} and counts the
 * members active in {@code (t − P, t]}. A delta for a boundary the watermark has already passed
 * (late data within the allowed lateness) corrects the current values and is published at the
 * next boundary. The upsert key is the community; {@code revision} is the boundary's ordinal
 * ({@code as_of / interval}), so later records always have higher revisions, deterministically,
 * without a counter in state.
 *
 * <p><b>State</b>: current values, deltas for future boundaries and the last emitted values.
 * Cleared when every value is back to 0 and nothing is pending (a community without members or
 * activity); one timer per pending boundary. The current and last emitted values are read and
 * changed on the heap and written back at each checkpoint ({@link WriteBackValue}; run by
 * {@link com.communitypulse.state.WriteBackOperators}); the future deltas stay in the state backend.
 */
public class RollingGaugeFunction extends KeyedProcessFunction<String, GaugeDelta, MetricRecord> implements WriteBackFunction {
    private static final long serialVersionUID = 1L;
    /** Communities whose current and last emitted values stay on the heap between checkpoints. */
    static final int CACHED_COMMUNITIES = 50_000;

    private final long emitIntervalMs;
    private transient WriteBackValue<long[], long[]> current;
    private transient WriteBackValue<long[], long[]> lastEmitted;
    private transient MapState<Long, long[]> future;

    public RollingGaugeFunction(long emitIntervalMs) {
        this.emitIntervalMs = emitIntervalMs;
    }

    @Override
    public void open(OpenContext ctx) {
        current = WriteBackValue.of(getRuntimeContext().getState(new ValueStateDescriptor<>("current", long[].class)), CACHED_COMMUNITIES);
        lastEmitted = WriteBackValue.of(getRuntimeContext().getState(new ValueStateDescriptor<>("last-emitted", long[].class)), CACHED_COMMUNITIES);
        future = getRuntimeContext().getMapState(new MapStateDescriptor<>("future-deltas", Long.class, long[].class));
    }

    @Override
    public void processElement(GaugeDelta d, Context ctx, Collector<MetricRecord> out) throws Exception {
        long wm = ctx.timerService().currentWatermark();
        if (d.getAt() <= wm) {
            long[] cur = valueOr(current);
            add(cur, d.getDelta());
            current.update(cur);
            long next = Math.floorDiv(wm, emitIntervalMs) * emitIntervalMs + emitIntervalMs;
            ctx.timerService().registerEventTimeTimer(next);
            return;
        }
        long[] f = future.get(d.getAt());
        if (f == null) {
            f = new long[GaugeDelta.SIZE];
            ctx.timerService().registerEventTimeTimer(d.getAt());
        }
        add(f, d.getDelta());
        future.put(d.getAt(), f);
    }

    @Override
    public List<WriteBackValue<?, ?>> writeBackValues() {
        return List.of(current, lastEmitted);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricRecord> out) throws Exception {
        long[] cur = valueOr(current);
        // Every boundary has its own timer, so only this boundary's deltas are due (O(1), not a scan).
        long[] due = future.get(timestamp);
        if (due != null) {
            add(cur, due);
            future.remove(timestamp);
        }
        long[] last = valueOr(lastEmitted);
        if (!Arrays.equals(cur, last)) {
            out.collect(toRecord(ctx.getCurrentKey(), timestamp, timestamp / emitIntervalMs, cur));
            lastEmitted.update(cur.clone());
        }
        if (isZero(cur) && future.isEmpty()) {
            // Nothing counted, nothing pending: the community's gauges end here.
            current.clear();
            lastEmitted.clear();
            future.clear();
        } else {
            current.update(cur);
        }
    }

    static MetricRecord toRecord(String community, long asOf, long rev, long[] v) {
        MetricRecord r = MetricRecord.rolling(community, asOf, rev);
        r.put("dau", v[GaugeDelta.DAU]).put("wau", v[GaugeDelta.WAU]).put("mau", v[GaugeDelta.MAU])
                .ratio("stickiness", v[GaugeDelta.DAU], v[GaugeDelta.MAU])
                .put("members", v[GaugeDelta.MEMBERS])
                .put("speaking_members_1d", v[GaugeDelta.SPEAKERS_1D])
                .ratio("participation_rate", v[GaugeDelta.SPEAKERS_1D], v[GaugeDelta.MEMBERS])
                .put("buyers_30d", v[GaugeDelta.BUYERS_30D])
                .put("repeat_buyers_30d", v[GaugeDelta.REPEAT_BUYERS_30D])
                .ratio("repurchase_rate", v[GaugeDelta.REPEAT_BUYERS_30D], v[GaugeDelta.BUYERS_30D]);
        return r;
    }

    private static long[] valueOr(WriteBackValue<long[], long[]> s) throws Exception {
        long[] v = s.value();
        return v == null ? new long[GaugeDelta.SIZE] : v;
    }

    private static void add(long[] into, long[] d) {
        for (int i = 0; i < into.length; i++) {
            into[i] += d[i];
        }
    }

    private static boolean isZero(long[] v) {
        for (long x : v) {
            if (x != 0) return false;
        }
        return true;
    }
}
