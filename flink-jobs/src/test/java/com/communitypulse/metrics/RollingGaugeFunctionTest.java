package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RollingGaugeFunctionTest {
    private KeyedOneInputStreamOperatorTestHarness<String, GaugeDelta, MetricRecord> h;

    private static KeyedOneInputStreamOperatorTestHarness<String, GaugeDelta, MetricRecord> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                com.communitypulse.state.WriteBackOperators.of(new RollingGaugeFunction(ONE_MINUTE)), GaugeDelta::getCommunityId, Types.STRING);
    }

    @BeforeEach
    void setUp() throws Exception {
        h = harness();
        h.open();
    }

    private void delta(long at, int gauge, long d) throws Exception {
        h.processElement(new StreamRecord<>(new GaugeDelta("c1", at, gauge, d), at));
    }

    @Test
    void shouldEmitOnceAtBoundaryWhenWatermarkReachesIt() throws Exception {
        long b = BEGINNING + ONE_MINUTE;
        delta(b, GaugeDelta.DAU, 1);
        delta(b, GaugeDelta.MAU, 1);
        delta(b, GaugeDelta.MEMBERS, 2);
        h.processWatermark(b - 1);
        assertThat(h.extractOutputValues()).isEmpty();
        h.processWatermark(b);
        MetricRecord r = h.extractOutputValues().get(0);
        assertThat(r.getAsOf()).isEqualTo(b);
        assertThat(r.getRevision()).isEqualTo(b / ONE_MINUTE);
        assertThat(r.getMetrics()).containsEntry("dau", 1.0).containsEntry("mau", 1.0).containsEntry("stickiness", 1.0)
                .containsEntry("members", 2.0).containsEntry("participation_rate", 0.0);
    }

    @Test
    void shouldOmitRatiosWhenDenominatorIsZero() {
        MetricRecord r = RollingGaugeFunction.toRecord("c", 0, 0, new long[GaugeDelta.SIZE]);
        assertThat(r.getMetrics()).doesNotContainKeys("stickiness", "participation_rate");
    }

    @Test
    void shouldNotEmitWhenValuesUnchangedAndClearStateWhenBackToZero() throws Exception {
        long b = BEGINNING + ONE_MINUTE;
        delta(b, GaugeDelta.DAU, 1);
        delta(b + ONE_MINUTE, GaugeDelta.DAU, 1);
        delta(b + ONE_MINUTE, GaugeDelta.DAU, -1);
        delta(b + 2 * ONE_MINUTE, GaugeDelta.DAU, -1);
        h.processWatermark(b + 10 * ONE_MINUTE);
        assertThat(h.extractOutputValues()).extracting(MetricRecord::getAsOf).containsExactly(b, b + 2 * ONE_MINUTE);
        assertThat(storedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldPublishCorrectionAtNextBoundaryWhenDeltaArrivesBehindWatermark() throws Exception {
        long b = BEGINNING + ONE_MINUTE;
        delta(b, GaugeDelta.DAU, 1);
        h.processWatermark(b + 30 * ONE_SECOND);
        delta(b, GaugeDelta.WAU, 1);
        h.processWatermark(b + ONE_MINUTE);
        assertThat(h.extractOutputValues()).hasSize(2);
        assertThat(h.extractOutputValues().get(1).getAsOf()).isEqualTo(b + ONE_MINUTE);
        assertThat(h.extractOutputValues().get(1).getMetrics()).containsEntry("wau", 1.0);
    }

    @Test
    void shouldKeepPendingDeltasWhenRestoredFromSnapshot() throws Exception {
        long b = BEGINNING + ONE_MINUTE;
        delta(b, GaugeDelta.DAU, 3);
        OperatorSubtaskState snap = h.snapshot(1, BEGINNING);
        h.close();
        h = harness();
        h.initializeState(snap);
        h.open();
        h.processWatermark(b);
        assertThat(h.extractOutputValues().get(0).getMetrics()).containsEntry("dau", 3.0);
    }

    private static long checkpoints;

    /** Keyed state entries in the backend once a checkpoint has written the cached values back. */
    private static int storedEntries(KeyedOneInputStreamOperatorTestHarness<String, GaugeDelta, MetricRecord> x) throws Exception {
        x.snapshot(++checkpoints, checkpoints);
        return x.numKeyedStateEntries();
    }
}
