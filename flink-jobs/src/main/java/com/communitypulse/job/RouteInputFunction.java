package com.communitypulse.job;

import com.communitypulse.events.DeadLetter;
import com.communitypulse.events.LateEvent;
import com.communitypulse.events.LatenessTracker;
import com.communitypulse.events.ParsedRecord;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.privacy.Pseudonymizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits a source's parsed records: events go on, dead letters and late events to their side
 * outputs, each counted ({@code deadLettered}, {@code lateEvents}). Chained to its source so each
 * source partition's order is kept up to the first keyBy.
 *
 * <p>Late events are judged here, per source partition ({@link LatenessTracker}), and not in the
 * deserializer, because only an operator can checkpoint the partitions' maximum event times. Being
 * chained to the source, its snapshot is taken at the same point of each partition as the source's
 * offsets, so after a restore every replayed record is judged against exactly the maximum it met
 * the first time: the verdict is the same with or without a crash (docs/SEMANTICS.md).
 *
 * <p><b>State</b>: operator (non-keyed) union list state, one entry (topic, partition, max event
 * time) per source partition this subtask knows. Union, because after a restore at another
 * parallelism the source may hand a subtask any partition; every subtask takes all entries (the
 * largest maximum per partition wins) and simply never consults those of partitions it does not
 * read. End of life: an entry lives as long as its partition may still deliver records, which has
 * no time bound, so there is no TTL; the state is bounded instead by the number of input
 * partitions (each checkpoint holds at most parallelism × partitions entries of ~40 bytes). Entries
 * of a topic that is renamed or deleted stay, inert, a few bytes each. A savepoint taken before
 * this state existed (e.g. the golden savepoint 0.1.0) restores to empty maxima, rebuilt from the
 * replayed records as that release did.
 *
 * <p>Member ids are sealed here ({@link Pseudonymizer#seal}): this is the first operator after
 * parsing and it is chained to the source, so no raw id crosses a network shuffle, reaches keyed
 * state or a checkpoint. Dead letters keep their raw bytes untouched (operators need them).
 */
public class RouteInputFunction extends ProcessFunction<ParsedRecord, PulseEvent> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    // Part of the savepoint layout of this operator (uid route-<input>): never rename.
    private static final String LATENESS_STATE = "partition-max-event-time";
    private static final TypeInformation<Tuple3<String, Integer, Long>> ENTRY = Types.TUPLE(Types.STRING, Types.INT, Types.LONG);

    private final OutputTag<DeadLetter> dlqTag;
    private final OutputTag<LateEvent> lateTag;
    private final Pseudonymizer ids;
    private final long outOfOrdernessMs;
    private final long allowedLatenessMs;
    private transient LatenessTracker lateness;
    private transient ListState<Tuple3<String, Integer, Long>> checkpointedMaxima;
    private transient Counter deadLettered;
    private transient Counter late;

    public RouteInputFunction(OutputTag<DeadLetter> dlqTag, OutputTag<LateEvent> lateTag, Pseudonymizer ids,
                              long outOfOrdernessMs, long allowedLatenessMs) {
        this.dlqTag = dlqTag;
        this.lateTag = lateTag;
        this.ids = ids;
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.allowedLatenessMs = allowedLatenessMs;
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        lateness = new LatenessTracker(outOfOrdernessMs, allowedLatenessMs);
        checkpointedMaxima = ctx.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>(LATENESS_STATE, ENTRY));
        if (ctx.isRestored()) {
            for (Tuple3<String, Integer, Long> e : checkpointedMaxima.get()) {
                lateness.restore(e.f0, e.f1, e.f2);
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        Map<LatenessTracker.Partition, Long> maxima = lateness.maxima();
        List<Tuple3<String, Integer, Long>> entries = new ArrayList<>(maxima.size());
        maxima.forEach((p, max) -> entries.add(Tuple3.of(p.topic(), p.partition(), max)));
        checkpointedMaxima.update(entries);
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
            return;
        }
        long lateAt = lateness.judge(r.getTopic(), r.getPartition(), r.getEvent().getTs());
        if (lateAt != LatenessTracker.ON_TIME) {
            late.inc();
            ctx.output(lateTag, new LateEvent(seal(r.getEvent()), lateAt));
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
