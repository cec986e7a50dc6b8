package com.communitypulse.metrics;

import com.communitypulse.events.PulseEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The job's fan-out before 0.2.0, kept as the reference path of {@link PreAggregatedWindowsEquivalenceTest}.
 * Emits each event once for its community (when it has one) and once for the global total
 * ({@code community_id = "*"}), so one keyed window operator computes both. Stateless.
 */
public class FanOutFunction implements FlatMapFunction<PulseEvent, PulseEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(PulseEvent e, Collector<PulseEvent> out) {
        PulseEvent global = e.copy();
        global.setCommunityId(MemberActivityOperator.GLOBAL);
        global.setText(null);
        out.collect(global);
        if (e.getCommunityId() != null) {
            out.collect(e);
        }
    }
}
