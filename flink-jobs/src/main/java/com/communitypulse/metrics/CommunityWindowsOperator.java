package com.communitypulse.metrics;

import com.communitypulse.metrics.OpenWindows.Window;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Second half of the window metrics, keyed by community id: adds up the {@link WindowPartial}s of
 * all pre-aggregators into each window of each granularity and emits the window's record
 * ({@link WindowMetricsFunction#toRecord}) with the firing rules of a tumbling event-time window
 * with allowed lateness:
 * <ul>
 *   <li>when the watermark reaches the window's last millisecond, the window fires with revision 0;</li>
 *   <li>a partial that arrives after that, within the allowed lateness, fires it at once with the
 *       next revision (several partials merged before one firing give one record; consumers keep
 *       the highest revision per key, and that one holds every count);</li>
 *   <li>a partial for a window whose lateness has passed is counted ({@code lateWindowPartials}) and
 *       dropped. It cannot normally come: the pre-aggregator dropped those events with a watermark
 *       at least as far as this operator's.</li>
 * </ul>
 * At the end of a bounded input the final watermark ({@code Long.MAX_VALUE}) fires every pending
 * window and then removes all, as it fires the timers of Flink's window operator; so nothing is
 * left to do in {@code finish()}.
 *
 * <p>Windows live on the heap and their due times in two priority queues (fire, clean up) driven
 * by the watermark, so no Flink timer and no state access happens per partial or per window.
 *
 * <p><b>State and its end of life.</b> Per community one keyed value ({@value #STATE}) with its
 * open windows ({@link OpenWindows}: counts, next revision, whether a first firing is pending).
 * It is written at each checkpoint, and only for the communities changed since the previous one,
 * and read only on restore. A window is removed when the watermark reaches its last millisecond
 * plus the allowed lateness (after any firing due at that watermark), like the window operator's
 * cleanup timer; the value of a community is cleared at the first checkpoint after its last window
 * went. On the heap, the set of communities changed since the last checkpoint is emptied at each
 * checkpoint.
 */
public class CommunityWindowsOperator extends AbstractStreamOperator<MetricRecord> implements OneInputStreamOperator<WindowPartial, MetricRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CommunityWindowsOperator.class);

    /** Part of the savepoint layout: never rename. */
    static final String STATE = "open-windows";

    private final Granularity granularity;
    private final long allowedLatenessMs;

    private transient ValueState<byte[]> stored;
    private transient Map<String, OpenWindows> open;
    private transient PriorityQueue<Window> toFire;
    private transient PriorityQueue<Window> toClean;
    private transient Set<String> changed;
    private transient int openWindows;
    private transient long currentWatermark;
    private transient WindowAccumulator view;
    private transient Counter latePartials;
    private transient boolean warnedLate;

    /** @param allowedLatenessMs how long after its end a window still takes partials and fires again */
    public CommunityWindowsOperator(Granularity granularity, long allowedLatenessMs) {
        if (allowedLatenessMs < 0) {
            throw new IllegalArgumentException("allowed lateness must not be negative, got " + allowedLatenessMs + " ms");
        }
        this.granularity = granularity;
        this.allowedLatenessMs = allowedLatenessMs;
    }

    /** The watermark at which a window is cleaned up, and from which it is late: as Flink's window operator, saturated. */
    static long cleanupTime(long maxTimestamp, long allowedLatenessMs) {
        long t = maxTimestamp + allowedLatenessMs;
        return t >= maxTimestamp ? t : Long.MAX_VALUE;
    }

    @Override
    public void initializeState(StateInitializationContext ctx) throws Exception {
        super.initializeState(ctx);
        stored = getPartitionedState(new ValueStateDescriptor<>(STATE, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        open = new HashMap<>();
        // Ties broken by window and community, so the records of one watermark come out in the same order in every run.
        Comparator<Window> sameTime = Comparator.comparingInt((Window w) -> w.g).thenComparingLong(w -> w.start)
                .thenComparing(w -> w.owner.community);
        toFire = new PriorityQueue<>(Comparator.comparingLong(Window::maxTimestamp).thenComparing(sameTime));
        toClean = new PriorityQueue<>(Comparator.comparingLong((Window w) -> cleanupTime(w.maxTimestamp(), allowedLatenessMs)).thenComparing(sameTime));
        changed = new HashSet<>();
        currentWatermark = Long.MIN_VALUE;
        view = new WindowAccumulator();
        if (ctx.isRestored()) {
            restore();
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        latePartials = getMetricGroup().counter("lateWindowPartials");
        getMetricGroup().gauge("openWindows", (Gauge<Integer>) () -> openWindows);
    }

    @Override
    public void processElement(StreamRecord<WindowPartial> r) throws Exception {
        WindowPartial p = r.getValue();
        int g = p.getGranularity();
        long start = p.getWindowStart();
        long end = start + granularity.size(g);
        if (cleanupTime(end - 1, allowedLatenessMs) <= currentWatermark) {
            latePartials.inc();
            if (!warnedLate) {
                warnedLate = true;
                LOG.warn("Dropped a window partial that came after its window's allowed lateness ({} {} at {}, watermark {}); "
                        + "the pre-aggregator should have dropped its events. Further ones are only counted (lateWindowPartials).",
                        p.getCommunityId(), granularity.iso(g), start, currentWatermark);
            }
            return;
        }
        String community = p.getCommunityId();
        OpenWindows ws = open.computeIfAbsent(community, OpenWindows::new);
        Window w = ws.find(g, start, end);
        if (w == null) {
            w = ws.open(g, start, end);
            toClean.add(w);
            openWindows++;
        }
        w.add(p.getCounts());
        changed.add(community);
        if (w.maxTimestamp() <= currentWatermark) {
            fire(w);
        } else if (!w.pending) {
            w.pending = true;
            toFire.add(w);
        }
    }

    /** Fires the windows the watermark completes, then removes those past their lateness, then forwards it. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long wm = mark.getTimestamp();
        currentWatermark = wm;
        while (!toFire.isEmpty() && toFire.peek().maxTimestamp() <= wm) {
            Window w = toFire.poll();
            w.pending = false;
            fire(w);
        }
        while (!toClean.isEmpty() && cleanupTime(toClean.peek().maxTimestamp(), allowedLatenessMs) <= wm) {
            remove(toClean.poll());
        }
        super.processWatermark(mark);
    }

    /** Writes back the communities changed since the last checkpoint, before the keyed state is snapshotted. */
    @Override
    public void snapshotState(StateSnapshotContext ctx) throws Exception {
        for (String community : changed) {
            setCurrentKey(community);
            OpenWindows ws = open.get(community);
            if (ws == null) {
                stored.clear();
            } else {
                stored.update(ws.encode());
            }
        }
        changed.clear();
        super.snapshotState(ctx);
    }

    /** Windows on the heap now (for tests and the {@code openWindows} gauge). */
    int openWindows() {
        return openWindows;
    }

    long lateWindowPartials() {
        return latePartials.getCount();
    }

    private void fire(Window w) {
        view.setCounts(w.counts);
        MetricRecord m = WindowMetricsFunction.toRecord(w.owner.community, granularity.iso(w.g), w.start, w.end, w.nextRevision, view);
        w.nextRevision++;
        changed.add(w.owner.community);
        output.collect(new StreamRecord<>(m, w.maxTimestamp()));
    }

    private void remove(Window w) {
        OpenWindows ws = w.owner;
        ws.remove(w);
        if (ws.isEmpty()) {
            open.remove(ws.community);
        }
        changed.add(ws.community);
        openWindows--;
    }

    /** Loads every community of the restored key groups; the keys are listed first, as the state must not change while they are iterated. */
    private void restore() throws Exception {
        KeyedStateBackend<String> backend = getKeyedStateBackend();
        List<String> communities = new ArrayList<>();
        try (Stream<String> keys = backend.getKeys(STATE, VoidNamespace.INSTANCE)) {
            keys.forEach(communities::add);
        }
        for (String community : communities) {
            setCurrentKey(community);
            byte[] bytes = stored.value();
            if (bytes == null) {
                continue;
            }
            OpenWindows ws = OpenWindows.decode(community, bytes);
            if (ws.isEmpty()) {
                continue;
            }
            open.put(community, ws);
            for (Window w : ws.windows()) {
                toClean.add(w);
                if (w.pending) {
                    toFire.add(w);
                }
                openWindows++;
            }
        }
    }
}
