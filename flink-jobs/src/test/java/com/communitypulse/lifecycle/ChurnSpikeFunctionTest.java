package com.communitypulse.lifecycle;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.alerts.AlertIds;
import com.communitypulse.alerts.AlertRecord;
import com.communitypulse.alerts.AlertState;
import com.communitypulse.alerts.AlertType;
import com.communitypulse.alerts.WallClock;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChurnSpikeFunctionTest {
    /** A UTC midnight, so that daily baseline samples fall on whole days of the test. */
    private static final long T0 = 1767225600000L;
    private KeyedOneInputStreamOperatorTestHarness<String, LifecycleRecord, AlertRecord> h;

    @BeforeEach
    void setUp() throws Exception {
        h = harness();
        h.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LifecycleRecord, AlertRecord> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ChurnSpikeFunction(LifecycleSettings.defaults(),
                WallClock.fixed(42L))), LifecycleRecord::getCommunityId, Types.STRING);
    }

    private void churn(String user, long ts, String reason) throws Exception {
        h.processElement(new StreamRecord<>(new LifecycleRecord("c1", user, LifecycleStage.ACTIVE, LifecycleStage.CHURNED, ts, reason), ts));
    }

    private List<AlertRecord> alerts() {
        return h.extractOutputValues();
    }

    @Test
    void shouldFireOnceThenResolveWhenManyMembersLeaveWithinAnHour() throws Exception {
        for (int i = 0; i < 12; i++) churn("u" + i, T0 + 10 * ONE_HOUR + i * ONE_MINUTE, "left");
        h.processWatermark(T0 + 11 * ONE_HOUR);
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.CHURN_SPIKE);
            assertThat(a.getState()).isEqualTo(AlertState.FIRING);
            assertThat(a.getEventTs()).isEqualTo(T0 + 11 * ONE_HOUR);
            assertThat(a.getAlertId()).isEqualTo(AlertIds.of(AlertType.CHURN_SPIKE, "c1", null, T0 + 11 * ONE_HOUR, "firing"));
            assertThat(a.getEvidence()).contains("\"churned_24h\":12", "\"level\":10.0", "\"baseline_daily\":0.0",
                    "\"summary\":\"12 members churned in the 24 h to 2026-01-01 19:00 Asia/Shanghai (12 of them left); usually 0.0 churned");
        });
        // Still in the trailing 24 h: no second firing.
        h.processWatermark(T0 + 34 * ONE_HOUR);
        assertThat(alerts()).hasSize(1);
        // Calm from 35 h on; resolved once calm for 6 h.
        h.processWatermark(T0 + 40 * ONE_HOUR);
        assertThat(alerts()).hasSize(1);
        h.processWatermark(T0 + 41 * ONE_HOUR);
        assertThat(alerts()).hasSize(2);
        assertThat(alerts().get(1).getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(alerts().get(1).getEvidence()).contains("\"peak_churned_24h\":12", "\"firing_alert_id\":\"" + alerts().get(0).getAlertId(),
                "\"summary\":\"back to normal: 0 members churned in the 24 h to ", "the spike peaked at 12 churned\"");
    }

    @Test
    void shouldEvaluateTheSameHoursWhenTransitionsArriveOutOfOrder() throws Exception {
        // In order: 12 leaves at hour 10, one at hour 30.
        for (int i = 0; i < 12; i++) churn("u" + i, T0 + 10 * ONE_HOUR + i * ONE_MINUTE, "left");
        churn("late", T0 + 30 * ONE_HOUR, "left");
        h.processWatermark(T0 + 60 * ONE_HOUR);
        List<AlertRecord> inOrder = List.copyOf(alerts());
        assertThat(inOrder).extracting(AlertRecord::getEventTs).startsWith(T0 + 11 * ONE_HOUR);

        h.close();
        h = harness();
        h.open();
        // Reversed arrival, all before the watermark passes them (e.g. two upstream subtasks flushing at end of input).
        churn("late", T0 + 30 * ONE_HOUR, "left");
        for (int i = 11; i >= 0; i--) churn("u" + i, T0 + 10 * ONE_HOUR + i * ONE_MINUTE, "left");
        h.processWatermark(T0 + 60 * ONE_HOUR);
        assertThat(alerts()).extracting(AlertRecord::getAlertId).containsExactlyElementsOf(inOrder.stream().map(AlertRecord::getAlertId).toList());
        assertThat(h.numEventTimeTimers()).isEqualTo(1); // the chain's one timer, no stale one left behind
    }

    @Test
    void shouldDecideTheSameWhenFarFutureTransitionsArriveEarlyOrLate() throws Exception {
        // End of a bounded input: one lifecycle subtask flushes inactivity churns due weeks ahead while
        // the other still sends today's leaves. Early or late, they must not change what is decided.
        List<String> early = runWithFuture(true);
        List<String> late = runWithFuture(false);
        assertThat(early).isEqualTo(late);
        // The day-1 leaves fire once; the first inactivity churn (day 20) restarts the all-churn baseline
        // there, whenever it arrived: a week of learning is missing at day 20, so its 14 churns do not fire.
        assertThat(early).filteredOn(a -> a.startsWith("firing")).singleElement().asString()
                .startsWith("firing " + (T0 + ONE_DAY + 11 * ONE_HOUR));
    }

    private List<String> runWithFuture(boolean futureFirst) throws Exception {
        h.close();
        h = harness();
        h.open();
        if (futureFirst) future();
        for (int d = 0; d <= 16; d++) churn("l" + d, T0 + d * ONE_DAY + 10 * ONE_HOUR, "left");
        for (int i = 0; i < 12; i++) churn("s" + i, T0 + ONE_DAY + 10 * ONE_HOUR + i * ONE_MINUTE, "left");
        h.processWatermark(T0 + 16 * ONE_DAY);
        if (!futureFirst) future();
        h.processWatermark(Long.MAX_VALUE);
        return alerts().stream().map(a -> a.getState().wireName() + " " + a.getEventTs() + " " + a.getAlertId()).toList();
    }

    private void future() throws Exception {
        for (int i = 0; i < 14; i++) churn("f" + i, T0 + 20 * ONE_DAY + i * ONE_MINUTE, "inactive");
    }

    @Test
    void shouldNotFireWhenChurnStaysAtMinCount() throws Exception {
        for (int i = 0; i < 10; i++) churn("u" + i, T0 + ONE_HOUR + i * ONE_HOUR, "inactive");
        h.processWatermark(T0 + 3 * ONE_DAY);
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldRaiseTheLevelWhenCommunityUsuallyChurnsALot() throws Exception {
        // 8 a day for 21 days: baseline 8, so the level is 24 and 20 in a day is still normal there.
        for (int d = 0; d < 21; d++) {
            for (int i = 0; i < 8; i++) churn("d" + d + "u" + i, T0 + d * ONE_DAY + (2 * i + 1) * ONE_HOUR, "left");
            if (d == 20) for (int i = 0; i < 12; i++) churn("x" + i, T0 + 20 * ONE_DAY + 16 * ONE_HOUR + i * ONE_MINUTE, "left");
            h.processWatermark(T0 + (d + 1) * ONE_DAY);
        }
        assertThat(alerts()).isEmpty();
        for (int i = 0; i < 30; i++) churn("y" + i, T0 + 21 * ONE_DAY + ONE_HOUR + i * ONE_MINUTE, "left");
        h.processWatermark(T0 + 21 * ONE_DAY + 2 * ONE_HOUR);
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getEvidence()).contains("\"baseline_days\":21", "\"churned_24h\":"));
    }

    @Test
    void shouldJudgeLeavesAloneUntilInactivityBaselineHasLearnt() throws Exception {
        // Inactivity churn appears for the first time: a step a churn period after members were first seen.
        for (int i = 0; i < 30; i++) churn("i" + i, T0 + ONE_HOUR + i * ONE_MINUTE, "inactive");
        h.processWatermark(T0 + ONE_DAY);
        assertThat(alerts()).isEmpty();
        for (int i = 0; i < 11; i++) churn("l" + i, T0 + ONE_DAY + ONE_HOUR + i * ONE_MINUTE, "left");
        h.processWatermark(T0 + ONE_DAY + 2 * ONE_HOUR);
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getEvidence())
                .contains("\"left_24h\":11", "\"inactivity_baseline_mature\":false"));
    }

    @Test
    void shouldIgnoreOtherTransitions() throws Exception {
        for (int i = 0; i < 20; i++) {
            long ts = T0 + ONE_HOUR + i;
            h.processElement(new StreamRecord<>(new LifecycleRecord("c1", "u" + i, LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, ts, "no_activity"), ts));
        }
        h.processWatermark(T0 + ONE_DAY);
        assertThat(alerts()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldClearStateAfterRetentionWhenCommunityStaysCalm() throws Exception {
        churn("u1", T0 + ONE_HOUR, "left");
        h.processWatermark(T0 + 2 * ONE_DAY);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        h.processWatermark(T0 + 40 * ONE_DAY);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldFireTheSameAfterRestoreMidway() throws Exception {
        for (int i = 0; i < 6; i++) churn("u" + i, T0 + ONE_HOUR + i * ONE_MINUTE, "left");
        h.processWatermark(T0 + ONE_HOUR + 30 * ONE_MINUTE);
        OperatorSubtaskState snap = h.snapshot(1L, 1L);
        h.close();
        h = harness();
        h.setup();
        h.initializeState(snap);
        h.open();
        for (int i = 6; i < 12; i++) churn("u" + i, T0 + ONE_HOUR + i * ONE_MINUTE, "left");
        h.processWatermark(T0 + 2 * ONE_HOUR);
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getEvidence()).contains("\"churned_24h\":12"));
    }
}
