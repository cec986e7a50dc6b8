package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.state.WriteBackOperators;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class GaugeDeltaPreAggregatorTest {
    private static final long B = BEGINNING + ONE_MINUTE;

    private static OneInputStreamOperatorTestHarness<GaugeDelta, GaugeDelta> harness(GaugeDeltaPreAggregator op) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<GaugeDelta, GaugeDelta>(op);
        h.open();
        return h;
    }

    private static StreamRecord<GaugeDelta> d(String community, long at, int gauge, long v, long ts) {
        return new StreamRecord<>(new GaugeDelta(community, at, gauge, v), ts);
    }

    @Test
    void shouldSendOneSumPerCommunityAndBoundaryWhenWatermarkReachesIt() throws Exception {
        var op = new GaugeDeltaPreAggregator(1000);
        var h = harness(op);
        h.processElement(d("c2", B, GaugeDelta.DAU, 1, B - 30 * ONE_SECOND));
        h.processElement(d("c1", B, GaugeDelta.DAU, 1, B - 20 * ONE_SECOND));
        h.processElement(d("c1", B, GaugeDelta.MAU, 1, B - 10 * ONE_SECOND));
        h.processElement(d("c1", B + ONE_DAY, GaugeDelta.DAU, -1, B - 10 * ONE_SECOND));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(op.heldSums()).isEqualTo(3);

        h.processWatermark(new Watermark(B));
        List<Object> out = new ArrayList<>(h.getOutput());
        // Both sums of boundary B (by community), then the watermark; the expiry a day ahead stays.
        assertThat(out).hasSize(3);
        GaugeDelta c1 = (GaugeDelta) ((StreamRecord<?>) out.get(0)).getValue();
        GaugeDelta c2 = (GaugeDelta) ((StreamRecord<?>) out.get(1)).getValue();
        assertThat(c1.getCommunityId()).isEqualTo("c1");
        assertThat(c1.getDelta()[GaugeDelta.DAU]).isEqualTo(1);
        assertThat(c1.getDelta()[GaugeDelta.MAU]).isEqualTo(1);
        assertThat(((StreamRecord<?>) out.get(0)).getTimestamp()).isEqualTo(B - 10 * ONE_SECOND);
        assertThat(c2.getCommunityId()).isEqualTo("c2");
        assertThat(out.get(2)).isEqualTo(new Watermark(B));
        assertThat(op.heldSums()).isEqualTo(1);
    }

    @Test
    void shouldSendEverythingHeldBeforeCheckpointBarrierAndKeepNothingInState() throws Exception {
        var op = new GaugeDeltaPreAggregator(1000);
        var h = harness(op);
        h.processElement(d("c1", B + ONE_DAY, GaugeDelta.DAU, -1, B));
        h.processElement(d("c1", B + 7 * ONE_DAY, GaugeDelta.WAU, -1, B));
        h.prepareSnapshotPreBarrier(1);
        var snapshot = h.snapshot(1, 1);
        assertThat(h.extractOutputValues()).extracting(GaugeDelta::getAt).containsExactly(B + ONE_DAY, B + 7 * ONE_DAY);
        assertThat(op.heldSums()).isZero();
        assertThat(snapshot.getManagedOperatorState()).isEmpty();
        assertThat(snapshot.getManagedKeyedState()).isEmpty();
    }

    @Test
    void shouldSendZeroSumsSoThatDownstreamTimersAreTheSame() throws Exception {
        var h = harness(new GaugeDeltaPreAggregator(1000));
        h.processElement(d("c1", B, GaugeDelta.DAU, 1, B));
        h.processElement(d("c1", B, GaugeDelta.DAU, -1, B));
        h.processWatermark(new Watermark(B));
        assertThat(h.extractOutputValues()).hasSize(1);
        assertThat(h.extractOutputValues().get(0).getDelta()).containsOnly(0L);
    }

    @Test
    void shouldFlushEarlyWhenBoundIsExceeded() throws Exception {
        var op = new GaugeDeltaPreAggregator(2);
        var h = harness(op);
        h.processElement(d("c1", B, GaugeDelta.DAU, 1, B));
        h.processElement(d("c2", B, GaugeDelta.DAU, 1, B));
        assertThat(h.extractOutputValues()).isEmpty();
        h.processElement(d("c3", B, GaugeDelta.DAU, 1, B));
        assertThat(h.extractOutputValues()).extracting(GaugeDelta::getCommunityId).containsExactly("c1", "c2", "c3");
        assertThat(op.heldSums()).isZero();
    }

    @Test
    void shouldRejectBoundBelowOne() {
        assertThatThrownBy(() -> new GaugeDeltaPreAggregator(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    }

    /**
     * The rolling gauges fed through the pre-aggregator emit exactly what they emit fed with every
     * delta: random deltas of many members and communities, boundaries in the past (late), now and
     * days ahead, watermarks and checkpoint barriers in between, and an early flush bound.
     */
    @Test
    void shouldLeaveRollingGaugeOutputsUnchanged() throws Exception {
        for (int seed = 0; seed < 20; seed++) {
            Random rnd = new Random(seed);
            List<Object> input = new ArrayList<>();
            long wm = B;
            for (int step = 0; step < 300; step++) {
                int n = rnd.nextInt(8);
                for (int i = 0; i < n; i++) {
                    String c = rnd.nextInt(5) == 0 ? "*" : "c" + rnd.nextInt(4);
                    long at = wm + (rnd.nextInt(12) - 2) * ONE_MINUTE + (rnd.nextInt(10) == 0 ? ONE_DAY : 0);
                    input.add(d(c, at, rnd.nextInt(GaugeDelta.SIZE), rnd.nextBoolean() ? 1 : -1, wm));
                }
                if (rnd.nextInt(3) == 0) {
                    wm += rnd.nextInt(3) * ONE_MINUTE / 2;
                    input.add(new Watermark(wm));
                }
                if (rnd.nextInt(40) == 0) input.add("barrier");
            }
            input.add(new Watermark(wm + 40 * ONE_DAY));

            List<String> direct = rolling(input);
            var pre = harness(new GaugeDeltaPreAggregator(1 + rnd.nextInt(30)));
            List<Object> through = new ArrayList<>();
            for (Object o : input) {
                if (o instanceof Watermark w) pre.processWatermark(w);
                else if (o.equals("barrier")) pre.prepareSnapshotPreBarrier(1);
                else {
                    @SuppressWarnings("unchecked")
                    StreamRecord<GaugeDelta> r = (StreamRecord<GaugeDelta>) o;
                    pre.processElement(r);
                }
                through.addAll(pre.getOutput());
                pre.getOutput().clear();
            }
            assertThat(rolling(through)).as("seed " + seed).isEqualTo(direct).isNotEmpty();
        }
    }

    /** The rolling records (as text, in order) of {@link RollingGaugeFunction} fed with {@code input}. */
    private static List<String> rolling(List<Object> input) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, GaugeDelta, MetricRecord>(
                WriteBackOperators.of(new RollingGaugeFunction(ONE_MINUTE)), GaugeDelta::getCommunityId, Types.STRING);
        h.open();
        List<String> out = new ArrayList<>();
        for (Object o : input) {
            if (o instanceof Watermark w) {
                h.processWatermark(w);
                for (MetricRecord m : h.extractOutputValues()) {
                    out.add(m.getCommunityId() + "@" + m.getAsOf() + " " + new java.util.TreeMap<>(m.getMetrics()));
                }
                h.getOutput().clear();
            } else if (o instanceof StreamRecord<?> r) {
                GaugeDelta g = (GaugeDelta) r.getValue();
                GaugeDelta copy = new GaugeDelta();
                copy.setCommunityId(g.getCommunityId());
                copy.setAt(g.getAt());
                copy.setDelta(Arrays.copyOf(g.getDelta(), g.getDelta().length));
                h.processElement(new StreamRecord<>(copy, r.getTimestamp()));
            }
        }
        // Records of one boundary come out in key order of the timer queue; compare them as a set per boundary.
        out.sort(null);
        h.close();
        return out;
    }
}
