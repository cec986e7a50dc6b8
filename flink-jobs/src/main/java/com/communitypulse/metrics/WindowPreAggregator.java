package com.communitypulse.metrics;

import com.communitypulse.events.PulseEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * First half of the window metrics: adds each event into per-subtask {@link WindowPartial}s of its
 * community and of the global total ({@code "*"}), for the base window, the hour and the day, and
 * sends those partials on to {@link CommunityWindowsOperator}, keyed by community. Chained right
 * behind member activity (no shuffle, not keyed), so one event costs a few heap additions instead
 * of six copies over the network and a state read and write per window.
 *
 * <p><b>Input</b>: events stamped with their {@link MemberTouches}; event time is
 * {@link PulseEvent#getTs()}. <b>Output</b>: partials, each carrying its window's last millisecond
 * as record timestamp; side output {@code lateTag}: events whose base window is already late.
 *
 * <p><b>Lateness</b> is decided here, with the same rule as Flink's window operator: a window is
 * late when its last millisecond plus the allowed lateness is at or before the current watermark.
 * A late window does not take the event. An event whose base window is late goes to
 * {@code lateTag} once; its hour and day decide for themselves and may still take it. Upstream
 * lateness checks keep that output normally empty.
 *
 * <p><b>Flushing.</b> A watermark first sends every partial whose window it completes, then goes
 * on, so the community operator has the whole window before the watermark that fires it. Partials
 * of windows still open leave at the next checkpoint barrier ({@link #prepareSnapshotPreBarrier}),
 * when more than {@code maxEntries} are held, and at the end of input; the community operator
 * adds them up, so an early flush costs records, never correctness. Output order: by window start,
 * granularity, then community.
 *
 * <p><b>State</b>: none in checkpoints. Everything on the heap has been sent before the barrier
 * of each checkpoint, so a restore has nothing to recover here; the heap holds at most
 * {@code maxEntries} + 6 partials between two flushes.
 */
public class WindowPreAggregator extends AbstractStreamOperator<WindowPartial> implements OneInputStreamOperator<PulseEvent, WindowPartial> {
    private static final long serialVersionUID = 1L;
    private static final int SLOTS = WindowAccumulator.NAMES.length;
    private static final Comparator<Bucket> FLUSH_ORDER = Comparator.comparingLong((Bucket b) -> b.start).thenComparingInt(b -> b.g);

    private final Granularity granularity;
    private final long allowedLatenessMs;
    private final OutputTag<PulseEvent> lateTag;
    private final int maxEntries;

    /** Per granularity, the partials held by window start. */
    private transient List<Map<Long, Bucket>> buckets;
    /** Per granularity, the bucket of the last event: most events fall into the current window. */
    private transient Bucket[] recent;
    private transient int entries;
    private transient long currentWatermark;
    private transient Counter flushed;
    private transient Counter lateEvents;

    /**
     * @param allowedLatenessMs how long after its end a window still takes events (as the window
     *        operators' allowed lateness)
     * @param lateTag where an event too late for its base window goes
     * @param maxEntries partials held before all are flushed early (e.g. 50,000: a few MB)
     */
    public WindowPreAggregator(Granularity granularity, long allowedLatenessMs, OutputTag<PulseEvent> lateTag, int maxEntries) {
        if (allowedLatenessMs < 0) {
            throw new IllegalArgumentException("allowed lateness must not be negative, got " + allowedLatenessMs + " ms");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the pre-aggregator must hold at least one partial, got a bound of " + maxEntries);
        }
        this.granularity = granularity;
        this.allowedLatenessMs = allowedLatenessMs;
        this.lateTag = lateTag;
        this.maxEntries = maxEntries;
    }

    /** The partials of one window, by community. */
    private static final class Bucket {
        final int g;
        final long start;
        final long maxTimestamp;
        final HashMap<String, long[]> byCommunity = new HashMap<>();

        Bucket(int g, long start, long maxTimestamp) {
            this.g = g;
            this.start = start;
            this.maxTimestamp = maxTimestamp;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        buckets = new ArrayList<>(Granularity.COUNT);
        for (int g = 0; g < Granularity.COUNT; g++) {
            buckets.add(new HashMap<>());
        }
        recent = new Bucket[Granularity.COUNT];
        currentWatermark = Long.MIN_VALUE;
        flushed = getMetricGroup().counter("windowPartialsFlushed");
        lateEvents = getMetricGroup().counter("windowLateEvents");
        getMetricGroup().gauge("windowPartialsHeld", (Gauge<Integer>) () -> entries);
    }

    @Override
    public void processElement(StreamRecord<PulseEvent> r) throws Exception {
        PulseEvent e = r.getValue();
        long ts = e.getTs();
        String community = e.getCommunityId();
        int communityScope = community == null ? -1 : WindowMetricsAggregator.scopeOf(community);
        for (int g = 0; g < Granularity.COUNT; g++) {
            long start = granularity.windowStart(g, ts);
            long maxTimestamp = start + granularity.size(g) - 1;
            if (CommunityWindowsOperator.cleanupTime(maxTimestamp, allowedLatenessMs) <= currentWatermark) {
                if (g == Granularity.BASE) {
                    lateEvents.inc();
                    output.collect(lateTag, new StreamRecord<>(e, ts));
                }
                continue;
            }
            Bucket b = bucket(g, start, maxTimestamp);
            if (community != null) {
                WindowMetricsAggregator.count(countsOf(b, community), e, communityScope, g);
            }
            WindowMetricsAggregator.count(countsOf(b, MemberActivityOperator.GLOBAL), e, MemberTouches.GLOBAL, g);
        }
        if (entries > maxEntries) {
            flush(Long.MAX_VALUE);
        }
    }

    /** Sends the partials that the watermark completes ahead of it. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        currentWatermark = mark.getTimestamp();
        flush(currentWatermark);
        super.processWatermark(mark);
    }

    /** Sends everything: the checkpoint then needs no state of this operator and loses nothing. */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush(Long.MAX_VALUE);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush(Long.MAX_VALUE);
        super.finish();
    }

    /** Partials held now (for tests and the {@code windowPartialsHeld} gauge). */
    int heldPartials() {
        return entries;
    }

    private Bucket bucket(int g, long start, long maxTimestamp) {
        Bucket b = recent[g];
        if (b != null && b.start == start) {
            return b;
        }
        b = buckets.get(g).get(start);
        if (b == null) {
            b = new Bucket(g, start, maxTimestamp);
            buckets.get(g).put(start, b);
        }
        recent[g] = b;
        return b;
    }

    private long[] countsOf(Bucket b, String community) {
        long[] c = b.byCommunity.get(community);
        if (c == null) {
            c = new long[SLOTS];
            b.byCommunity.put(community, c);
            entries++;
        }
        return c;
    }

    /** Emits and forgets every partial of a window ending at or before {@code upTo}. */
    private void flush(long upTo) {
        if (entries == 0) {
            return;
        }
        List<Bucket> due = new ArrayList<>();
        for (Map<Long, Bucket> byStart : buckets) {
            for (Iterator<Bucket> it = byStart.values().iterator(); it.hasNext(); ) {
                Bucket b = it.next();
                if (b.maxTimestamp <= upTo) {
                    due.add(b);
                    it.remove();
                }
            }
        }
        due.sort(FLUSH_ORDER);
        for (Bucket b : due) {
            if (recent[b.g] == b) {
                recent[b.g] = null;
            }
            String[] communities = b.byCommunity.keySet().toArray(new String[0]);
            Arrays.sort(communities);
            for (String c : communities) {
                output.collect(new StreamRecord<>(new WindowPartial(c, b.g, b.start, b.byCommunity.get(c)), b.maxTimestamp));
            }
            flushed.inc(communities.length);
            entries -= communities.length;
        }
    }
}
