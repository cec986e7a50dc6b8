package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.events.PulseEventSerializer;
import com.communitypulse.events.PulseEventTypeInfo;
import com.communitypulse.testutils.Events;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pre-aggregated window metrics against the path they replace, fed the same random stream:
 * fan-out to community and {@code "*"}, then one Flink window operator per granularity (tumbling
 * event-time windows, allowed lateness, late side output) with {@link WindowMetricsAggregator} and
 * {@link WindowMetricsFunction}. The stream has events out of order within and beyond the allowed
 * lateness, so both late firings and dropped events occur; the new path also goes through early
 * flushes (a small bound), checkpoint barriers and restores of the community operator from RocksDB
 * snapshots, and every partial crosses its serializer as on the network.
 */
class PreAggregatedWindowsEquivalenceTest {
    private static final Granularity G = new Granularity(Duration.ofMinutes(1), ZoneId.of("Asia/Shanghai"));
    private static final long LATENESS = 5 * ONE_MINUTE;
    private static final OutputTag<PulseEvent> OLD_LATE = new OutputTag<>("old-window-late") {};
    private static final OutputTag<PulseEvent> NEW_LATE = new OutputTag<>("new-window-late") {};
    private static final String[] COMMUNITIES = {"c0", "c1", "c2", "c3", "c4", "c5"};
    private static final EventKind[] KINDS = EventKind.values();
    private static final int EVENTS = 3000;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void shouldEmitSameFinalRecordPerWindowAsWindowOperatorsWhenFedSameRandomStream(long seed) throws Exception {
        Random rnd = new Random(seed);
        OldPath old = new OldPath();
        NewPath neu = new NewPath();
        long clock = DAY_START + 23 * ONE_HOUR + 20 * ONE_MINUTE; // runs past midnight: day windows fire on the way
        long wm = Long.MIN_VALUE;
        for (int i = 0; i < EVENTS; i++) {
            clock += rnd.nextInt(6000);
            long ts = rnd.nextInt(40) == 0
                    ? clock - LATENESS - rnd.nextInt((int) (10 * ONE_MINUTE)) // mostly too late
                    : clock - rnd.nextInt((int) (4 * ONE_MINUTE)); // often behind the watermark, within lateness
            PulseEvent e = randomEvent(rnd, ts);
            old.send(e.copy());
            neu.send(e.copy());
            if (rnd.nextInt(15) == 0) {
                wm = Math.max(wm, clock - ONE_MINUTE - rnd.nextInt((int) ONE_MINUTE));
                old.watermark(wm);
                neu.watermark(wm);
            }
            if (rnd.nextInt(300) == 0) {
                neu.barrier();
            }
            if (rnd.nextInt(500) == 0) {
                neu.checkpointAndRestore();
            }
        }
        old.watermark(Long.MAX_VALUE);
        neu.watermark(Long.MAX_VALUE);
        List<MetricRecord> oldRecords = old.finish();
        List<MetricRecord> newRecords = neu.finish();

        Map<String, MetricRecord> expected = finalPerKey(oldRecords);
        Map<String, MetricRecord> actual = finalPerKey(newRecords);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, MetricRecord> en : expected.entrySet()) {
            MetricRecord o = en.getValue(), n = actual.get(en.getKey());
            assertThat(n.getWindowEnd()).as(en.getKey()).isEqualTo(o.getWindowEnd());
            assertThat(n.getMetrics()).as(en.getKey()).isEqualTo(o.getMetrics());
        }
        assertThat(neu.lateIds).isEqualTo(old.lateIds());
        assertThat(neu.com.getOneInputOperator()).isInstanceOfSatisfying(CommunityWindowsOperator.class,
                op -> assertThat(op.lateWindowPartials()).isZero());

        // Not vacuous: late firings, dropped events and every granularity occurred.
        assertThat(oldRecords).anySatisfy(r -> assertThat(r.getRevision()).isPositive());
        assertThat(newRecords).anySatisfy(r -> assertThat(r.getRevision()).isPositive());
        assertThat(neu.lateIds).isNotEmpty();
        assertThat(neu.restores).isPositive();
        assertThat(expected.values()).extracting(MetricRecord::getWindow).contains("PT1M", "PT1H", "P1D");
        assertThat(expected.values()).filteredOn(r -> r.getWindow().equals("P1D")).hasSizeGreaterThanOrEqualTo(2);
        neu.com.close();
    }

    private static PulseEvent randomEvent(Random rnd, long ts) {
        EventKind kind = KINDS[rnd.nextInt(KINDS.length)];
        PulseEvent e = new PulseEvent();
        e.setEventId(Events.id());
        e.setKind(kind);
        e.setType(kind.type());
        e.setCommunityId(rnd.nextInt(10) == 0 ? null : COMMUNITIES[rnd.nextInt(COMMUNITIES.length)]);
        e.setUserId("u" + rnd.nextInt(40));
        e.setTs(ts);
        if (kind == EventKind.PAID || kind == EventKind.REFUNDED) {
            e.setAmountMinor(100 + rnd.nextInt(20_000));
        }
        e.setSentiment(rnd.nextInt(3) == 0 ? PulseEvent.UNSCORED : (byte) (rnd.nextInt(3) - 1));
        e.setTouches(rnd.nextInt(1 << 24) & rnd.nextInt(1 << 24) & rnd.nextInt(1 << 24));
        return e;
    }

    /** The last record of each key, checking on the way that each key's revisions strictly increase. */
    private static Map<String, MetricRecord> finalPerKey(List<MetricRecord> records) {
        Map<String, MetricRecord> last = new HashMap<>();
        for (MetricRecord r : records) {
            MetricRecord before = last.put(r.upsertKey(), r);
            if (before != null) {
                assertThat(r.getRevision()).as("revision after %s", before).isGreaterThan(before.getRevision());
            } else {
                assertThat(r.getRevision()).as("first record of %s", r.upsertKey()).isZero();
            }
        }
        return last;
    }

    /** Fan-out, then one window operator per granularity, as the topology had it. */
    private static final class OldPath {
        final List<KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, MetricRecord>> windows = new ArrayList<>();
        final FanOutFunction fanOut = new FanOutFunction();

        OldPath() throws Exception {
            for (int g = 0; g < Granularity.COUNT; g++) {
                TumblingEventTimeWindows assigner = TumblingEventTimeWindows.of(Duration.ofMillis(G.size(g)), Duration.ofMillis(G.offset(g)));
                WindowOperatorBuilder<PulseEvent, String, TimeWindow> b = new WindowOperatorBuilder<>(assigner, assigner.getDefaultTrigger(),
                        new ExecutionConfig(), PulseEventTypeInfo.INSTANCE, PulseEvent::getCommunityId, Types.STRING);
                b.allowedLateness(Duration.ofMillis(LATENESS));
                b.sideOutputLateData(OLD_LATE);
                OneInputStreamOperator<PulseEvent, MetricRecord> op = b.aggregate(new WindowMetricsAggregator(g),
                        new WindowMetricsFunction(G.iso(g)), TypeInformation.of(WindowAccumulator.class));
                var h = new KeyedOneInputStreamOperatorTestHarness<>(op, PulseEvent::getCommunityId, Types.STRING);
                h.open();
                windows.add(h);
            }
        }

        void send(PulseEvent e) throws Exception {
            List<PulseEvent> copies = new ArrayList<>(2);
            fanOut.flatMap(e, new ListCollector<>(copies));
            for (var h : windows) {
                for (PulseEvent c : copies) {
                    h.processElement(new StreamRecord<>(c.copy(), c.getTs()));
                }
            }
        }

        void watermark(long wm) throws Exception {
            for (var h : windows) {
                h.processWatermark(wm);
            }
        }

        List<String> lateIds() {
            List<String> ids = new ArrayList<>();
            var late = windows.get(Granularity.BASE).getSideOutput(OLD_LATE);
            if (late != null) {
                for (StreamRecord<PulseEvent> r : late) {
                    if (MemberActivityOperator.GLOBAL.equals(r.getValue().getCommunityId())) {
                        ids.add(r.getValue().getEventId());
                    }
                }
            }
            return ids;
        }

        List<MetricRecord> finish() throws Exception {
            List<MetricRecord> out = new ArrayList<>();
            for (var h : windows) {
                out.addAll(h.extractOutputValues());
                h.close();
            }
            return out;
        }
    }

    /** Pre-aggregator, network edge, community windows (on RocksDB, restored now and then). */
    private static final class NewPath {
        final OneInputStreamOperatorTestHarness<PulseEvent, WindowPartial> pre;
        KeyedOneInputStreamOperatorTestHarness<String, WindowPartial, MetricRecord> com;
        final List<MetricRecord> records = new ArrayList<>();
        final List<String> lateIds = new ArrayList<>();
        long checkpoint;
        int restores;

        NewPath() throws Exception {
            pre = new OneInputStreamOperatorTestHarness<>(new WindowPreAggregator(G, LATENESS, NEW_LATE, 40), PulseEventSerializer.INSTANCE);
            pre.open();
            com = community(null);
        }

        static KeyedOneInputStreamOperatorTestHarness<String, WindowPartial, MetricRecord> community(OperatorSubtaskState from) throws Exception {
            var h = new KeyedOneInputStreamOperatorTestHarness<>(new CommunityWindowsOperator(G, LATENESS), WindowPartial::getCommunityId, Types.STRING);
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            if (from != null) {
                h.initializeState(from);
            }
            h.open();
            return h;
        }

        void send(PulseEvent e) throws Exception {
            pre.processElement(new StreamRecord<>(e, e.getTs()));
            forward();
        }

        void watermark(long wm) throws Exception {
            pre.processWatermark(wm);
            forward();
        }

        void barrier() throws Exception {
            pre.prepareSnapshotPreBarrier(++checkpoint);
            forward();
        }

        /** A checkpoint, then a failure: the community operator starts over from its snapshot. */
        void checkpointAndRestore() throws Exception {
            barrier();
            OperatorSubtaskState snapshot = com.snapshot(checkpoint, checkpoint);
            records.addAll(com.extractOutputValues());
            com.close();
            com = community(snapshot);
            restores++;
        }

        @SuppressWarnings("unchecked")
        private void forward() throws Exception {
            for (Object o : pre.getOutput()) {
                if (o instanceof Watermark w) {
                    com.processWatermark(w);
                } else {
                    StreamRecord<WindowPartial> r = (StreamRecord<WindowPartial>) o;
                    com.processElement(new StreamRecord<>(overTheWire(r.getValue()), r.getTimestamp()));
                }
            }
            pre.getOutput().clear();
            var late = pre.getSideOutput(NEW_LATE);
            if (late != null) {
                for (StreamRecord<PulseEvent> r : late) {
                    lateIds.add(r.getValue().getEventId());
                }
                late.clear();
            }
        }

        private static WindowPartial overTheWire(WindowPartial p) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            WindowPartialSerializer.INSTANCE.serialize(p, out);
            return WindowPartialSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        }

        List<MetricRecord> finish() throws Exception {
            pre.close();
            forward();
            records.addAll(com.extractOutputValues());
            return records;
        }
    }
}
