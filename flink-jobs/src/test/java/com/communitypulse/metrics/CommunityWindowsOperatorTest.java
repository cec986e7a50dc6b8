package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommunityWindowsOperatorTest {
    private static final Granularity G = new Granularity(Duration.ofMinutes(1), ZoneId.of("Asia/Shanghai"));
    private static final long LATENESS = 5 * ONE_MINUTE;
    private static final long MINUTE_END = BEGINNING + ONE_MINUTE - 1;

    private KeyedOneInputStreamOperatorTestHarness<String, WindowPartial, MetricRecord> h;
    private CommunityWindowsOperator op;

    /** On the heap backend, whose entries the harness can count, or on RocksDB as in production. */
    private void open(boolean rocksDb, long lateness, OperatorSubtaskState restoreFrom) throws Exception {
        op = new CommunityWindowsOperator(G, lateness);
        h = new KeyedOneInputStreamOperatorTestHarness<>(op, WindowPartial::getCommunityId, Types.STRING);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private static WindowPartial partial(String community, int g, long start, int slot, long value) {
        long[] c = new long[WindowAccumulator.NAMES.length];
        c[slot] = value;
        return new WindowPartial(community, g, start, c);
    }

    private void send(WindowPartial p) throws Exception {
        h.processElement(new StreamRecord<>(p, p.getWindowStart() + G.size(p.getGranularity()) - 1));
    }

    private List<MetricRecord> records() {
        List<MetricRecord> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    private List<String> storedCommunities() throws Exception {
        KeyedStateBackend<String> backend = op.getKeyedStateBackend();
        List<String> keys = new ArrayList<>();
        try (Stream<String> s = backend.getKeys(CommunityWindowsOperator.STATE, VoidNamespace.INSTANCE)) {
            s.forEach(keys::add);
        }
        return keys;
    }

    @Test
    void shouldEmitOneRevisionZeroRecordOfAllPartialsWhenWatermarkReachesWindowEnd() throws Exception {
        open(false, LATENESS, null);
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.MESSAGES, 3)); // from one pre-aggregator
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.MESSAGES, 4)); // and another
        send(partial("c1", Granularity.HOUR, BEGINNING, WindowAccumulator.MESSAGES, 7));
        h.processWatermark(MINUTE_END - 1);
        assertThat(records()).isEmpty();

        h.processWatermark(MINUTE_END);
        List<Object> out = new ArrayList<>(h.getOutput());
        assertThat(out).hasSize(2);
        MetricRecord r = (MetricRecord) ((StreamRecord<?>) out.get(0)).getValue();
        assertThat(((StreamRecord<?>) out.get(0)).getTimestamp()).isEqualTo(MINUTE_END);
        assertThat(out.get(1)).isEqualTo(new Watermark(MINUTE_END));
        assertThat(r.getCommunityId()).isEqualTo("c1");
        assertThat(r.getWindow()).isEqualTo("PT1M");
        assertThat(r.getWindowStart()).isEqualTo(BEGINNING);
        assertThat(r.getWindowEnd()).isEqualTo(BEGINNING + ONE_MINUTE);
        assertThat(r.getRevision()).isZero();
        assertThat(r.getMetrics()).containsEntry("messages", 7.0).containsEntry("orders", 0.0);
    }

    @Test
    void shouldFireAtOnceWithNextRevisionWhenPartialArrivesWithinLateness() throws Exception {
        open(false, LATENESS, null);
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.MESSAGES, 3));
        h.processWatermark(MINUTE_END + ONE_MINUTE);
        assertThat(records()).extracting(MetricRecord::getRevision).containsExactly(0L);

        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.CLICKS, 2));
        List<MetricRecord> late = records();
        assertThat(late).hasSize(1);
        assertThat(late.get(0).getRevision()).isEqualTo(1);
        assertThat(late.get(0).getMetrics()).containsEntry("messages", 3.0).containsEntry("clicks", 2.0);

        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.CLICKS, 1));
        assertThat(records()).extracting(MetricRecord::getRevision).containsExactly(2L);
    }

    @Test
    void shouldFireFirstWithRevisionZeroWhenWindowFirstSeenWithinLateness() throws Exception {
        open(false, LATENESS, null);
        h.processWatermark(MINUTE_END + ONE_MINUTE);
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.POSTS, 1));
        assertThat(records()).extracting(MetricRecord::getRevision).containsExactly(0L);
    }

    @Test
    void shouldRemoveWindowAndItsStateAndDropLaterPartialsWhenLatenessHasPassed() throws Exception {
        open(false, LATENESS, null);
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.MESSAGES, 3));
        send(partial("c2", Granularity.BASE, BEGINNING + ONE_MINUTE, WindowAccumulator.MESSAGES, 1));
        h.snapshot(1, BEGINNING);
        assertThat(h.numKeyedStateEntries()).isEqualTo(2);

        h.processWatermark(MINUTE_END + LATENESS - 1);
        assertThat(op.openWindows()).isEqualTo(2);
        h.processWatermark(MINUTE_END + LATENESS);
        assertThat(op.openWindows()).isEqualTo(1);
        h.snapshot(2, BEGINNING);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1); // c2 is still open

        h.processWatermark(MINUTE_END + ONE_MINUTE + LATENESS);
        h.snapshot(3, BEGINNING);
        assertThat(op.openWindows()).isZero();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();

        records();
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.MESSAGES, 1));
        assertThat(records()).isEmpty();
        assertThat(op.lateWindowPartials()).isEqualTo(1);
        assertThat(op.openWindows()).isZero();
    }

    @Test
    void shouldFireAndRemoveAtTheSameWatermarkWhenThereIsNoLateness() throws Exception {
        open(false, 0, null);
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.MESSAGES, 3));
        h.processWatermark(MINUTE_END);
        assertThat(records()).extracting(MetricRecord::getRevision).containsExactly(0L);
        assertThat(op.openWindows()).isZero();
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.MESSAGES, 1));
        assertThat(records()).isEmpty();
        assertThat(op.lateWindowPartials()).isEqualTo(1);
    }

    @Test
    void shouldKeepPendingWindowsAndRevisionsWhenRestoredIntoFreshOperator() throws Exception {
        open(true, LATENESS, null);
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.MESSAGES, 3));
        h.processWatermark(MINUTE_END);
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.MESSAGES, 1)); // revision 1
        send(partial("c1", Granularity.HOUR, BEGINNING, WindowAccumulator.MESSAGES, 4)); // pending
        send(partial("*", Granularity.DAY, DAY_START, WindowAccumulator.GMV, -900)); // pending
        assertThat(records()).extracting(MetricRecord::getRevision).containsExactly(0L, 1L);
        OperatorSubtaskState snapshot = h.snapshot(1, BEGINNING);
        assertThat(storedCommunities()).containsExactlyInAnyOrder("c1", "*");
        h.close();

        open(true, LATENESS, snapshot);
        assertThat(op.openWindows()).isEqualTo(3);
        h.processWatermark(MINUTE_END + ONE_MINUTE); // the restored watermark starts over
        assertThat(records()).isEmpty();
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.MESSAGES, 1));
        assertThat(records()).singleElement().satisfies(r -> {
            assertThat(r.getRevision()).isEqualTo(2);
            assertThat(r.getMetrics()).containsEntry("messages", 5.0);
        });
        h.processWatermark(Watermark.MAX_WATERMARK);
        assertThat(records()).extracting(r -> r.getCommunityId() + " " + r.getWindow() + " " + r.getRevision() + " " + r.getMetrics().get(
                r.getWindow().equals("P1D") ? "gmv_minor" : "messages")).containsExactly("c1 PT1H 0 4.0", "* P1D 0 -900.0");
        h.snapshot(2, BEGINNING);
        assertThat(storedCommunities()).isEmpty();
    }

    @Test
    void shouldFireEveryPendingWindowThenRemoveAllWhenBoundedInputEnds() throws Exception {
        open(false, LATENESS, null);
        send(partial("c1", Granularity.BASE, BEGINNING, WindowAccumulator.MESSAGES, 1));
        send(partial("c2", Granularity.HOUR, BEGINNING, WindowAccumulator.MESSAGES, 1));
        send(partial("*", Granularity.DAY, DAY_START, WindowAccumulator.MESSAGES, 2));
        h.processWatermark(Watermark.MAX_WATERMARK);
        assertThat(records()).extracting(r -> r.getCommunityId() + " " + r.getWindow() + " " + r.getRevision())
                .containsExactly("c1 PT1M 0", "c2 PT1H 0", "* P1D 0");
        assertThat(op.openWindows()).isZero();
        h.snapshot(1, BEGINNING);
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void shouldRejectNegativeLateness() {
        assertThatThrownBy(() -> new CommunityWindowsOperator(G, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lateness");
        h = null;
    }
}
