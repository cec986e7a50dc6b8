package com.communitypulse.job;

import com.communitypulse.events.LateEvent;
import com.communitypulse.events.PulseEvent;
import org.apache.flink.api.common.functions.OpenContext;
import com.communitypulse.state.WriteBackFunction;
import com.communitypulse.state.WriteBackValue;
import java.util.List;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Drops repeated deliveries of the same {@code event_id} and routes events later than the allowed
 * lateness to the late side output. Keyed by {@code user_id}: a duplicate always has the same
 * user, so de-duplication needs no extra shuffle before the per-user functions that follow.
 *
 * <p>Order of checks: a remembered id is a duplicate (dropped and counted) even if it is now late;
 * an unseen event older than {@code watermark - allowedLateness} is late; everything else is
 * remembered and passed on.
 *
 * <p><b>State</b>: one small value per user, {@link DedupQueue}: the ids seen within the horizon with
 * their event times. A user sends a handful of events per horizon, so a linear scan of that value
 * is far cheaper than a RocksDB map lookup per event (one read and one write per event; docs/BENCHMARKS.md —
 * an id map beside it cost two more RocksDB operations per event). An id is forgotten once the
 * watermark passes {@code ts + horizon}; because {@code horizon ≥ allowedLateness}, any copy that
 * arrives after its id was forgotten is late, so duplicates never reach the metrics. Expired ids
 * are dropped whenever the value is written anyway (every new event), and one cleanup timer per
 * user, one horizon after the newest id rounded up to the hour, removes the value once the user is
 * quiet: a timer per id expiry fired about once per event and rewrote the value each time. All
 * state of a user is gone at most an hour plus one horizon after their last event.
 *
 * <p>The queue is read and changed on the heap and written back at each checkpoint
 * ({@link WriteBackValue}; run by {@link com.communitypulse.state.WriteBackOperators}).
 *
 * <p>Savepoints of 0.1.0 development builds also hold a {@code seen-event-ids} map; it is no
 * longer read (the queue holds the same ids), so restoring them keeps de-duplication intact.
 */
public class DeduplicateFunction extends KeyedProcessFunction<String, PulseEvent, PulseEvent> implements WriteBackFunction {
    private static final long serialVersionUID = 1L;
    private static final long TIMER_GRANULARITY = 3_600_000L;
    /** Users whose id queue stays on the heap between checkpoints (a few hundred bytes each). */
    static final int CACHED_USERS = 100_000;

    private final long allowedLatenessMs;
    private final long horizonMs;
    private final OutputTag<LateEvent> lateTag;
    private transient WriteBackValue<DedupQueue, DedupQueue> queue;
    private transient Counter duplicates;
    private transient Counter late;

    public DeduplicateFunction(long allowedLatenessMs, long horizonMs, OutputTag<LateEvent> lateTag) {
        if (horizonMs < allowedLatenessMs) {
            throw new IllegalArgumentException("dedup horizon must be at least the allowed lateness");
        }
        this.allowedLatenessMs = allowedLatenessMs;
        this.horizonMs = horizonMs;
        this.lateTag = lateTag;
    }

    @Override
    public void open(OpenContext ctx) {
        queue = WriteBackValue.of(getRuntimeContext().getState(new ValueStateDescriptor<>("seen-queue", DedupQueue.class)), CACHED_USERS);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
        late = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public void processElement(PulseEvent e, Context ctx, Collector<PulseEvent> out) throws Exception {
        DedupQueue q = queue.value();
        if (q != null && q.contains(e.getEventId())) {
            duplicates.inc();
            return;
        }
        long wm = ctx.timerService().currentWatermark();
        if (wm != Long.MIN_VALUE && e.getTs() < wm - allowedLatenessMs) {
            late.inc();
            ctx.output(lateTag, new LateEvent(e, wm));
            return;
        }
        if (q == null) {
            q = new DedupQueue();
        } else if (wm != Long.MIN_VALUE) {
            q = q.without(wm - horizonMs);
        }
        q.add(e.getEventId(), e.getTs());
        long want = cleanupTime(q.maxTs());
        if (q.getTimer() != want) {
            if (q.getTimer() != Long.MIN_VALUE) ctx.timerService().deleteEventTimeTimer(q.getTimer());
            ctx.timerService().registerEventTimeTimer(want);
            q.setTimer(want);
        }
        queue.update(q);
        out.collect(e);
    }

    @Override
    public List<WriteBackValue<?, ?>> writeBackValues() {
        return List.of(queue);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PulseEvent> out) throws Exception {
        DedupQueue q = queue.value();
        if (q == null || q.getTimer() != timestamp) {
            return;
        }
        // With this layout's timer every id is past its horizon now; a timer of an earlier layout
        // (at the oldest id's expiry) leaves the younger ids, which get the timer of this one.
        DedupQueue keep = q.without(timestamp - horizonMs);
        if (keep.size() == 0) {
            queue.clear();
            return;
        }
        long next = cleanupTime(keep.maxTs());
        ctx.timerService().registerEventTimeTimer(next);
        keep.setTimer(next);
        queue.update(keep);
    }

    private long cleanupTime(long ts) {
        return ((ts + horizonMs) / TIMER_GRANULARITY + 1) * TIMER_GRANULARITY;
    }
}
