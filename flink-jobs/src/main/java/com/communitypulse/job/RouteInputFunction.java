package com.communitypulse.job;

import com.communitypulse.events.DeadLetter;
import com.communitypulse.events.LateEvent;
import com.communitypulse.events.ParsedRecord;
import com.communitypulse.events.PulseEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits a source's parsed records: events go on, dead letters and late events to their side
 * outputs, each counted ({@code deadLettered}, {@code lateEvents}). Chained to its source so each
 * source partition's order is kept up to the first keyBy. Stateless.
 */
public class RouteInputFunction extends ProcessFunction<ParsedRecord, PulseEvent> {
    private static final long serialVersionUID = 1L;
    private final OutputTag<DeadLetter> dlqTag;
    private final OutputTag<LateEvent> lateTag;
    private transient Counter deadLettered;
    private transient Counter late;

    public RouteInputFunction(OutputTag<DeadLetter> dlqTag, OutputTag<LateEvent> lateTag) {
        this.dlqTag = dlqTag;
        this.lateTag = lateTag;
    }

    @Override
    public void open(OpenContext ctx) {
        deadLettered = getRuntimeContext().getMetricGroup().counter("deadLettered");
        late = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public void processElement(ParsedRecord r, Context ctx, Collector<PulseEvent> out) {
        if (!r.isEvent()) {
            deadLettered.inc();
            ctx.output(dlqTag, r.getDeadLetter());
        } else if (r.isLate()) {
            late.inc();
            ctx.output(lateTag, new LateEvent(r.getEvent(), r.getLateAt()));
        } else {
            out.collect(r.getEvent());
        }
    }
}
