package com.communitypulse.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums the {@link GaugeDelta}s of all members of one subtask per community and boundary before
 * they cross the community shuffle to {@link RollingGaugeFunction}. Member activity sends about a
 * dozen deltas for a member's first event of a day (dau, wau, mau, speakers, members, each for
 * the community and {@code "*"}, now and where each expires); summed here, a community's boundary
 * costs one record and one state update downstream instead of one per member, and the global
 * {@code "*"} key, which lands on one subtask, receives a few records per boundary instead of one per
 * member event.
 *
 * <p><b>Why the sums are exact.</b> {@link RollingGaugeFunction} only adds deltas: the deltas of
 * a boundary that are due (at or before its watermark) into the current values, those of a
 * future boundary into that boundary's pending sum. Both are sums, so one record carrying the sum
 * of many deltas for the same community and boundary leaves the same state as the deltas one by
 * one, as long as it arrives before the watermark that passes its boundary. A sum that happens to
 * be zero is still sent: downstream it registers the boundary's timer as its parts would have.
 *
 * <p><b>Flushing.</b> A watermark first sends every sum whose boundary it reaches or passes, then
 * goes on; sums for later boundaries (the expiries, up to 30 days ahead) keep collecting until the
 * next checkpoint barrier ({@link #prepareSnapshotPreBarrier}), until more than {@code maxEntries}
 * are held, or the end of input. Output order: by boundary, then community.
 *
 * <p><b>State</b>: none in checkpoints. Everything held has been sent before the barrier of each
 * checkpoint, so a restore has nothing to recover here.
 */
public class GaugeDeltaPreAggregator extends AbstractStreamOperator<GaugeDelta> implements OneInputStreamOperator<GaugeDelta, GaugeDelta> {
    private static final long serialVersionUID = 1L;
    private static final Comparator<Key> FLUSH_ORDER = Comparator.comparingLong(Key::at).thenComparing(Key::community);

    private final int maxEntries;

    private transient Map<Key, Sum> held;
    private transient Counter received;
    private transient Counter sent;

    /** @param maxEntries sums held before all are sent early (each about 150 bytes on the heap) */
    public GaugeDeltaPreAggregator(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the gauge pre-aggregator must hold at least one sum, got a bound of " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    private record Key(String community, long at) {
        Key {
            Objects.requireNonNull(community, "community");
        }
    }

    /** A running sum and the latest event time among its parts (the record timestamp it leaves with). */
    private static final class Sum {
        final long[] delta = new long[GaugeDelta.SIZE];
        long timestamp = Long.MIN_VALUE;
    }

    @Override
    public void open() throws Exception {
        super.open();
        held = new HashMap<>();
        received = getMetricGroup().counter("gaugeDeltasReceived");
        sent = getMetricGroup().counter("gaugeDeltasSent");
        getMetricGroup().gauge("gaugeDeltasHeld", (Gauge<Integer>) () -> held.size());
    }

    @Override
    public void processElement(StreamRecord<GaugeDelta> r) throws Exception {
        GaugeDelta d = r.getValue();
        received.inc();
        Sum s = held.computeIfAbsent(new Key(d.getCommunityId(), d.getAt()), k -> new Sum());
        long[] v = d.getDelta();
        for (int i = 0; i < v.length; i++) {
            s.delta[i] += v[i];
        }
        if (r.hasTimestamp()) {
            s.timestamp = Math.max(s.timestamp, r.getTimestamp());
        }
        if (held.size() > maxEntries) {
            flush(Long.MAX_VALUE);
        }
    }

    /** Sends the sums whose boundary the watermark reaches ahead of it. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush(mark.getTimestamp());
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

    /** Sums held now (for tests and the {@code gaugeDeltasHeld} gauge). */
    int heldSums() {
        return held.size();
    }

    /** Emits and forgets every sum whose boundary is at or before {@code upTo}. */
    private void flush(long upTo) {
        if (held.isEmpty()) {
            return;
        }
        List<Map.Entry<Key, Sum>> due = new ArrayList<>();
        for (Iterator<Map.Entry<Key, Sum>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Sum> e = it.next();
            if (e.getKey().at() <= upTo) {
                due.add(e);
                it.remove();
            }
        }
        due.sort(Map.Entry.comparingByKey(FLUSH_ORDER));
        for (Map.Entry<Key, Sum> e : due) {
            GaugeDelta out = new GaugeDelta();
            out.setCommunityId(e.getKey().community());
            out.setAt(e.getKey().at());
            out.setDelta(e.getValue().delta);
            long ts = e.getValue().timestamp;
            output.collect(ts == Long.MIN_VALUE ? new StreamRecord<>(out) : new StreamRecord<>(out, ts));
        }
        sent.inc(due.size());
    }
}
