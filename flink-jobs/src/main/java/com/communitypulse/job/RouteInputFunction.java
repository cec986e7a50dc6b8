package com.communitypulse.job;

import com.communitypulse.events.DeadLetter;
import com.communitypulse.events.LateEvent;
import com.communitypulse.events.ParsedRecord;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.privacy.Pseudonymizer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits a source's parsed records: events go on, dead letters and late events to their side
 * outputs, each counted ({@code deadLettered}, {@code lateEvents}). Chained to its source so each
 * source partition's order is kept up to the first keyBy. Stateless.
 *
 * <p>Member ids are sealed here ({@link Pseudonymizer#seal}): this is the first operator after
 * parsing and it is chained to the source, so no raw id crosses a network shuffle, reaches keyed
 * state or a checkpoint. Dead letters keep their raw bytes untouched (operators need them).
 */
public class RouteInputFunction extends ProcessFunction<ParsedRecord, PulseEvent> {
    private static final long serialVersionUID = 1L;
    private final OutputTag<DeadLetter> dlqTag;
    private final OutputTag<LateEvent> lateTag;
    private final Pseudonymizer ids;
    private transient Counter deadLettered;
    private transient Counter late;

    public RouteInputFunction(OutputTag<DeadLetter> dlqTag, OutputTag<LateEvent> lateTag, Pseudonymizer ids) {
        this.dlqTag = dlqTag;
        this.lateTag = lateTag;
        this.ids = ids;
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
            ctx.output(lateTag, new LateEvent(seal(r.getEvent()), r.getLateAt()));
        } else {
            out.collect(seal(r.getEvent()));
        }
    }

    private PulseEvent seal(PulseEvent e) {
        if (ids.isEnabled()) {
            e.setUserId(ids.seal(e.getUserId()));
            e.setReplyToUser(ids.seal(e.getReplyToUser()));
        }
        return e;
    }
}
