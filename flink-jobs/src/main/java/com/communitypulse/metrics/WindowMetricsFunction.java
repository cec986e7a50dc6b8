package com.communitypulse.metrics;

import static com.communitypulse.metrics.WindowAccumulator.*;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a window's {@link WindowAccumulator} into a window metric record (CONTRACT §8) with the
 * derived ratios. The first firing (watermark past the window end) is revision 0; each late
 * firing within the allowed lateness re-emits the same key with the next revision.
 *
 * <p><b>State</b>: the revision counter in per-window state, cleared with the window when the
 * watermark passes its end plus the allowed lateness ({@link #clear}).
 */
public class WindowMetricsFunction extends ProcessWindowFunction<WindowAccumulator, MetricRecord, String, TimeWindow> {
    private static final long serialVersionUID = 1L;
    private static final ValueStateDescriptor<Long> REVISION = new ValueStateDescriptor<>("revision", Long.class);

    private final String windowName;

    public WindowMetricsFunction(String windowName) {
        this.windowName = windowName;
    }

    @Override
    public void process(String community, Context ctx, Iterable<WindowAccumulator> in, Collector<MetricRecord> out) throws Exception {
        WindowAccumulator acc = in.iterator().next();
        ValueState<Long> rev = ctx.windowState().getState(REVISION);
        long r = rev.value() == null ? 0 : rev.value() + 1;
        rev.update(r);
        out.collect(toRecord(community, windowName, ctx.window().getStart(), ctx.window().getEnd(), r, acc));
    }

    @Override
    public void clear(Context ctx) throws Exception {
        ctx.windowState().getState(REVISION).clear();
    }

    public static MetricRecord toRecord(String community, String windowName, long start, long end, long revision, WindowAccumulator acc) {
        MetricRecord m = MetricRecord.window(community, windowName, start, end, revision);
        for (int i = 0; i < NAMES.length; i++) {
            m.put(NAMES[i], acc.get(i));
        }
        long scored = acc.get(POSITIVE) + acc.get(NEUTRAL) + acc.get(NEGATIVE);
        m.ratio("negative_ratio", acc.get(NEGATIVE), scored);
        m.ratio("conversion_rate", acc.get(BUYERS), acc.get(ACTIVE));
        m.ratio("click_to_order", acc.get(ORDERS), acc.get(CLICKS));
        return m;
    }
}
