package com.communitypulse.lifecycle;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.alerts.AlertRecord;
import com.communitypulse.alerts.AlertType;
import com.communitypulse.alerts.WallClock;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.testutils.Events;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LifecycleFunctionTest {
    private static final OutputTag<AlertRecord> ALERTS = new OutputTag<>("alerts") {};
    private static final long NOW = 1_800_000_000_000L;
    private KeyedTwoInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent, LifecycleRecord> h;

    @BeforeEach
    void setUp() throws Exception {
        h = harness(LifecycleSettings.defaults());
        h.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent, LifecycleRecord> harness(LifecycleSettings s) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(com.communitypulse.state.WriteBackOperators.of(new LifecycleFunction(s, ALERTS, WallClock.fixed(NOW))),
                PulseEvent::getUserId, PulseEvent::getReplyToUser, Types.STRING);
    }

    private void send(PulseEvent e) throws Exception {
        h.processElement1(new StreamRecord<>(e, e.getTs()));
        h.processWatermark1(new Watermark(e.getTs()));
        h.processWatermark2(new Watermark(e.getTs()));
    }

    private void watermark(long t) throws Exception {
        h.processWatermark1(new Watermark(t));
        h.processWatermark2(new Watermark(t));
    }

    private List<String> transitions() {
        List<String> l = new ArrayList<>();
        for (LifecycleRecord r : h.extractOutputValues()) {
            l.add((r.getFrom() == null ? "none" : r.getFrom().wireName()) + ">" + r.getTo().wireName() + ":" + r.getReason());
        }
        return l;
    }

    private List<LifecycleRecord> records() {
        return h.extractOutputValues();
    }

    private List<AlertRecord> alerts() {
        List<AlertRecord> l = new ArrayList<>();
        if (h.getSideOutput(ALERTS) != null) h.getSideOutput(ALERTS).forEach(r -> l.add(r.getValue()));
        return l;
    }

    /** {@code n} posts {@code everyDays} apart from BEGINNING; returns the time of the last. */
    private long postEvery(String user, int n, int everyDays) throws Exception {
        long t = BEGINNING;
        for (int i = 0; i < n; i++) {
            t = BEGINNING + (long) i * everyDays * ONE_DAY;
            send(Events.post("c1", user, t));
        }
        return t;
    }

    @Test
    void shouldStartActiveWhenFirstSeenThroughActivity() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        assertThat(transitions()).containsExactly("none>active:first_activity");
        assertThat(records().get(0).getEventTs()).isEqualTo(BEGINNING);
    }

    @Test
    void shouldBeNewForSevenDaysThenActiveWhenJoinedMemberSpoke() throws Exception {
        send(Events.message("c1", "u1", BEGINNING, EventKind.JOIN));
        send(Events.post("c1", "u1", BEGINNING + ONE_DAY));
        watermark(BEGINNING + 7 * ONE_DAY - 1);
        assertThat(transitions()).containsExactly("none>new:joined");
        watermark(BEGINNING + 7 * ONE_DAY);
        assertThat(transitions()).containsExactly("none>new:joined", "new>active:new_period_over");
        assertThat(records().get(1).getEventTs()).isEqualTo(BEGINNING + 7 * ONE_DAY);
    }

    @Test
    void shouldGoSilentWhenOnlyClickingAndActiveAgainWhenSpeaking() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        for (int d = 1; d <= 8; d++) send(Events.click("u1", BEGINNING + d * ONE_DAY, "c1", null));
        assertThat(transitions()).containsExactly("none>active:first_activity", "active>silent:no_speaking");
        assertThat(records().get(1).getEventTs()).isEqualTo(BEGINNING + 7 * ONE_DAY);
        send(Events.message("c1", "u1", BEGINNING + 8 * ONE_DAY + ONE_HOUR, EventKind.REPLY));
        assertThat(transitions()).endsWith("silent>active:spoke");
    }

    @Test
    void shouldEnterAtRiskAfterSevenDaysAndAlertWhenDailyMemberStops() throws Exception {
        long last = postEvery("u1", 10, 1);
        watermark(last + 7 * ONE_DAY - 1);
        assertThat(transitions()).containsExactly("none>active:first_activity");
        watermark(last + 7 * ONE_DAY);
        assertThat(transitions()).endsWith("active>at_risk:no_activity");
        List<AlertRecord> a = alerts();
        assertThat(a).hasSize(1);
        assertThat(a.get(0).getType()).isEqualTo(AlertType.MEMBER_AT_RISK);
        assertThat(a.get(0).getEventTs()).isEqualTo(last + 7 * ONE_DAY);
        assertThat(a.get(0).getUserId()).isEqualTo("u1");
        assertThat(a.get(0).getEvidence()).contains("\"last_active_ts\":" + last, "\"usual_gap_days\":1.0", "\"active_days_last_28\":10",
                "\"valuable_because\":[\"frequent\"]");
    }

    @Test
    void shouldNameTheUsualRhythmAndTheSilenceWhenAlertingAtRisk() throws Exception {
        long last = postEvery("u1", 10, 1);
        watermark(last + 7 * ONE_DAY);
        assertThat(alerts()).hasSize(1);
        assertThat(alerts().get(0).getEvidence()).contains("\"p90_gap_days\":1.0", "\"history_session_gaps\":9", "\"at_risk_after_days\":7.0",
                "\"summary\":\"usually back within 1 d (median quiet stretch between 10 sessions; p90 1 d), silent 7 d since 2026-01-14 10:00 "
                        + "Asia/Shanghai; at risk after 7 d\"");
    }

    @Test
    void shouldMatchTheAlertSchemaWhenAtRiskEvidenceNamesTheRhythm() throws Exception {
        long last = postEvery("u1", 10, 2);
        watermark(last + 7 * ONE_DAY);
        assertThat(alerts()).hasSize(1);
        String json = new String(com.communitypulse.alerts.AlertJson.toJson(alerts().get(0)), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(com.communitypulse.testutils.Schemas.validate("alert", json)).as(json).isEmpty();
        String broken = json.replace("\"summary\"", "\"note\"");
        assertThat(com.communitypulse.testutils.Schemas.validate("alert", broken)).as("summary is required").isNotEmpty();
    }

    @Test
    void shouldNeverFlagWeeklyMemberWhenTheirBurstRunsPastMidnight() throws Exception {
        // Every week 23:00 to 01:30 (two local days: gaps 1, 6, 1, 6 … between active days); one week
        // the member shows up a day late, a quiet stretch of 7 d 22 h.
        long t = DAY_START + 23 * ONE_HOUR;
        for (int week = 0; week < 9; week++) {
            long start = t + week * 7 * ONE_DAY + (week == 6 ? ONE_DAY : 0);
            for (long at = start; at <= start + 150 * ONE_MINUTE; at += 30 * ONE_MINUTE) send(Events.post("c1", "u1", at));
        }
        watermark(t + 9 * 7 * ONE_DAY);
        assertThat(transitions()).noneMatch(x -> x.contains("at_risk") || x.contains("churned"));
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldWaitForTheMembersLongUsualBreaksWhenTheirRhythmIsIrregular() throws Exception {
        // Mostly daily with a long break now and then (median gap 1 d, p90 5 d): a 9-day silence is
        // within their habits, at risk only after 3 × 5 d.
        int[] gaps = {1, 1, 2, 1, 5, 1, 1, 1, 2, 1, 5, 1, 1, 1, 1, 4, 1};
        long t = BEGINNING;
        send(Events.post("c1", "u1", t));
        for (int g : gaps) send(Events.post("c1", "u1", t += g * ONE_DAY));
        watermark(t + 9 * ONE_DAY);
        send(Events.post("c1", "u1", t + 9 * ONE_DAY));
        assertThat(transitions()).noneMatch(x -> x.contains("at_risk"));
        long last = t + 9 * ONE_DAY;
        watermark(last + 15 * ONE_DAY - 1);
        assertThat(transitions()).noneMatch(x -> x.contains("at_risk"));
        watermark(last + 15 * ONE_DAY);
        assertThat(transitions()).last().isEqualTo("silent>at_risk:no_activity");
        assertThat(alerts()).hasSize(1);
        assertThat(alerts().get(0).getEvidence()).contains("\"p90_gap_days\":5.0", "silent 15 d since");
    }

    @Test
    void shouldWaitThreeCadencesWhenMemberIsActiveEveryFourDays() throws Exception {
        long last = postEvery("u1", 10, 4);
        watermark(last + 12 * ONE_DAY - 1);
        assertThat(transitions()).noneMatch(t -> t.contains("at_risk"));
        watermark(last + 12 * ONE_DAY);
        assertThat(transitions()).last().isEqualTo("silent>at_risk:no_activity");
    }

    @Test
    void shouldNeverFlagWeeklyMemberWhenRhythmHolds() throws Exception {
        postEvery("u1", 9, 7);
        watermark(BEGINNING + 9 * 7 * ONE_DAY - ONE_HOUR);
        assertThat(transitions()).noneMatch(t -> t.contains("at_risk") || t.contains("churned"));
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldChurnAfterThirtyDaysAndClearStateAfterRetention() throws Exception {
        long last = postEvery("u1", 10, 1);
        watermark(last + 30 * ONE_DAY);
        assertThat(transitions()).endsWith("active>at_risk:no_activity", "at_risk>churned:inactive");
        assertThat(alerts()).extracting(AlertRecord::getType).containsExactly(AlertType.MEMBER_AT_RISK, AlertType.MEMBER_CHURNED);
        assertThat(alerts().get(1).getEvidence()).contains("\"summary\":\"silent 30 d since " + shanghai(last)
                + " Asia/Shanghai (usually back within 1 d); churned after 30 d without activity; valuable: frequent\"");
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        watermark(last + 90 * ONE_DAY - 1);
        assertThat(storedEntries(h)).isPositive();
        watermark(last + 90 * ONE_DAY);
        assertThat(storedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldChurnAtOnceAndAlertWhenValuableMemberLeaves() throws Exception {
        long last = postEvery("u1", 9, 1);
        send(Events.message("c1", "u1", last + ONE_HOUR, EventKind.LEAVE));
        assertThat(transitions()).last().isEqualTo("active>churned:left");
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.MEMBER_CHURNED);
            assertThat(a.getEventTs()).isEqualTo(last + ONE_HOUR);
        });
    }

    @Test
    void shouldNotAlertWhenMemberIsNotValuable() throws Exception {
        long last = postEvery("u1", 3, 1);
        send(Events.message("c1", "u1", last + ONE_HOUR, EventKind.LEAVE));
        watermark(last + 40 * ONE_DAY);
        assertThat(transitions()).last().isEqualTo("active>churned:left");
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldTreatRecentBuyerAsValuableWhenOrderIsAttributedToCommunity() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        send(Events.paid("o1", "u1", BEGINNING + ONE_HOUR, 9900, "c1", null));
        send(Events.message("c1", "u1", BEGINNING + 2 * ONE_HOUR, EventKind.LEAVE));
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getEvidence())
                .contains("\"lifetime_orders\":1", "\"lifetime_gmv_minor\":9900", "\"valuable_because\":[\"recent_buyer\"]",
                        "\"summary\":\"left the community on " + shanghai(BEGINNING + 2 * ONE_HOUR) + " Asia/Shanghai; valuable: recent buyer\""));
    }

    @Test
    void shouldTreatTopContributorAsValuableWhenRepliesAreReceived() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        for (int i = 0; i < 20; i++) {
            PulseEvent r = Events.message("c1", "u" + (100 + i), BEGINNING + ONE_MINUTE * (i + 1), EventKind.REPLY).withReplyTo("u1");
            h.processElement2(new StreamRecord<>(r, r.getTs()));
        }
        send(Events.message("c1", "u1", BEGINNING + ONE_DAY + ONE_HOUR, EventKind.LEAVE));
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getEvidence())
                .contains("\"received_last_28\":20", "\"valuable_because\":[\"top_contributor\"]"));
    }

    @Test
    void shouldNotCountRepliesOfTheLeaveDayWhenDecidingOnArrival() throws Exception {
        // Whether a same-day reply reached the operator before the leave depends on arrival order
        // (another input), so it never counts: file mode, Kafka and replays decide alike.
        send(Events.post("c1", "u1", BEGINNING));
        for (int i = 0; i < 20; i++) {
            PulseEvent r = Events.message("c1", "u" + (100 + i), BEGINNING + ONE_MINUTE * (i + 1), EventKind.REPLY).withReplyTo("u1");
            h.processElement2(new StreamRecord<>(r, r.getTs()));
        }
        send(Events.message("c1", "u1", BEGINNING + ONE_HOUR, EventKind.LEAVE));
        assertThat(transitions()).last().isEqualTo("active>churned:left");
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldNotAlertAtRiskWhenCadenceRestsOnTooFewDays() throws Exception {
        send(Events.paid("o1", "u1", BEGINNING, 100, "c1", null));
        long last = postEvery("u1", 3, 1);
        watermark(last + 8 * ONE_DAY);
        assertThat(transitions()).last().isEqualTo("active>at_risk:no_activity");
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldReactivateAndSettleWhenAtRiskMemberComesBack() throws Exception {
        long last = postEvery("u1", 10, 1);
        watermark(last + 8 * ONE_DAY);
        send(Events.click("u1", last + 9 * ONE_DAY, "c1", null));
        send(Events.post("c1", "u1", last + 10 * ONE_DAY));
        assertThat(transitions()).endsWith("active>at_risk:no_activity", "at_risk>reactivated:active_again", "reactivated>active:settled");
    }

    @Test
    void shouldBeNewAgainWhenChurnedMemberRejoins() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        send(Events.message("c1", "u1", BEGINNING + ONE_HOUR, EventKind.LEAVE));
        send(Events.message("c1", "u1", BEGINNING + ONE_DAY, EventKind.JOIN));
        assertThat(transitions()).containsExactly("none>active:first_activity", "active>churned:left", "churned>new:rejoined");
    }

    @Test
    void shouldApplyDueTransitionsBeforeAnEventThatArrivesAheadOfTheWatermark() throws Exception {
        long last = postEvery("u1", 10, 1);
        // The event comes before any watermark beyond the at-risk time: the transition is applied first, at its own time.
        h.processElement1(new StreamRecord<>(Events.post("c1", "u1", last + 8 * ONE_DAY), last + 8 * ONE_DAY));
        assertThat(transitions()).endsWith("active>at_risk:no_activity", "at_risk>reactivated:active_again");
        assertThat(records().get(records().size() - 2).getEventTs()).isEqualTo(last + 7 * ONE_DAY);
    }

    @Test
    void shouldKeepOneTimerPerUserAndMoveItWhenActivityContinues() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        send(Events.post("c2", "u1", BEGINNING + ONE_HOUR));
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        for (int d = 1; d < 5; d++) send(Events.post("c1", "u1", BEGINNING + d * ONE_DAY));
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        // c2's entry is due first (silent after 7 days); c1's activity does not postpone it.
        watermark(BEGINNING + ONE_HOUR + 7 * ONE_DAY);
        assertThat(records()).filteredOn(r -> r.getCommunityId().equals("c2")).extracting(r -> r.getTo())
                .containsExactly(LifecycleStage.ACTIVE, LifecycleStage.AT_RISK);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void shouldApplyPerCommunityOverrideWhenConfigured() throws Exception {
        LifecycleSettings g = LifecycleSettings.defaults();
        Thresholds slow = new Thresholds(7 * ONE_DAY, 7 * ONE_DAY, 10 * ONE_DAY, 3.0, 30 * ONE_DAY, 10, 3.0);
        LifecycleSettings s = new LifecycleSettings(g.global, Map.of("c1", slow), g.retentionMs, g.historyDays, g.buyerWindowMs,
                g.valuableActiveDays, g.valuableReceived, g.alertMinActiveDays, g.zone, g.spikeHalfLifeMs, g.spikeRetentionMs);
        h.close();
        h = harness(s);
        h.open();
        long last = postEvery("u1", 10, 1);
        watermark(last + 10 * ONE_DAY - 1);
        assertThat(transitions()).noneMatch(t -> t.contains("at_risk"));
        watermark(last + 10 * ONE_DAY);
        assertThat(transitions()).last().isEqualTo("silent>at_risk:no_activity");
    }

    /** A user saved by release 0.1.0 (a map state per community and a timer value) carries on exactly as with the current layout. */
    @Test
    void shouldCarryOnUnchangedWhenRestoredFromReleaseZeroOneLayout() throws Exception {
        long last = postEvery("u1", 10, 1);
        h.processElement2(new StreamRecord<>(Events.post("c2", "u2", last).withReplyTo("u1"), last));
        LifecycleStates saved = currentStates("u1");
        assertThat(saved.timer()).isNotEqualTo(LifecycleStates.NO_TIMER);
        h.getOutput().clear();
        watermark(last + 200 * ONE_DAY);
        List<LifecycleRecord> expectedRecords = records();
        List<AlertRecord> expectedAlerts = alerts();
        assertThat(expectedRecords).extracting(LifecycleRecord::getTo).contains(LifecycleStage.AT_RISK, LifecycleStage.CHURNED);

        var old = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new ReleaseZeroOneLayout(saved)),
                PulseEvent::getUserId, PulseEvent::getReplyToUser, Types.STRING);
        old.open();
        old.processElement1(new StreamRecord<>(Events.post("c1", "u1", last), last));
        OperatorSubtaskState snap = old.snapshot(1, last);
        old.close();
        h.close();
        h = harness(LifecycleSettings.defaults());
        h.initializeState(snap);
        h.open();
        watermark(last + 200 * ONE_DAY);

        assertThat(records()).usingRecursiveFieldByFieldElementComparator().isEqualTo(expectedRecords);
        assertThat(alerts()).usingRecursiveFieldByFieldElementComparator().isEqualTo(expectedAlerts);
        assertThat(storedEntries(h)).as("old layout cleared, churned member gone after retention").isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldReadBackEveryFieldWhenStatesAreEncoded() {
        MemberLifecycle a = new MemberLifecycle();
        a.setStage(LifecycleStage.REACTIVATED);
        a.setStageSince(BEGINNING);
        a.setJoinTs(BEGINNING - 40 * ONE_DAY);
        a.setLastActive(BEGINNING + 5);
        a.setSpeakRef(BEGINNING);
        a.setActiveRef(BEGINNING + 5);
        a.setLastEvent(BEGINNING + 7);
        a.setLastPaid(BEGINNING - 3 * ONE_DAY);
        a.setDays(new int[] {20_000, 20_001, 20_009});
        a.setGapHours(new int[] {7, 30, 190, 1_000});
        a.setReceivedDays(new int[] {19_990, 3, 20_009, 1});
        a.setOrders(2);
        a.setGmvMinor(-150);
        LifecycleStates s = new LifecycleStates();
        s.put("c1", a);
        s.put("c-facts-only", new MemberLifecycle()); // no stage, every time NONE
        s.setTimer(BEGINNING + ONE_DAY);

        LifecycleStates back = LifecycleStates.decode(s.encode());

        assertThat(back.timer()).isEqualTo(BEGINNING + ONE_DAY);
        assertThat(back.get("c1")).usingRecursiveComparison().isEqualTo(a);
        assertThat(back.get("c-facts-only")).usingRecursiveComparison().isEqualTo(new MemberLifecycle());
        System.out.println("lifecycle of a member in one community: " + s.encode().length + " bytes with the empty entry and the timer");
    }

    @Test
    void shouldReadTheRhythmFromActiveDaysWhenRestoredFromFormatOne() {
        MemberLifecycle a = new MemberLifecycle();
        a.setStage(LifecycleStage.ACTIVE);
        a.setLastEvent(BEGINNING);
        a.setDays(new int[] {20_000, 20_001, 20_008, 20_009, 20_016});
        a.setGapHours(new int[] {20, 150, 21, 148});
        LifecycleStates s = new LifecycleStates();
        s.put("c1", a);
        byte[] v1 = s.encode(LifecycleStates.FORMAT_V1);
        assertThat(v1[0]).isEqualTo(LifecycleStates.FORMAT_V1);

        MemberLifecycle back = LifecycleStates.decode(v1).get("c1");
        assertThat(back.getDays()).containsExactly(a.getDays());
        assertThat(back.gapHours()).containsExactly(24, 168, 24, 168);
        assertThat(LifecycleStates.decode(s.encode()).get("c1").gapHours()).containsExactly(20, 150, 21, 148);
        byte[] future = s.encode();
        future[0] = 3;
        assertThatThrownBy(() -> LifecycleStates.decode(future)).hasMessageContaining("format 3").hasMessageContaining("that release or later");
    }

    private LifecycleStates currentStates(String user) throws Exception {
        h.snapshot(++checkpoints, checkpoints); // the operator's cached values written back
        var backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(user);
        byte[] bytes = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("lifecycle-states", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)).value();
        return LifecycleStates.decode(bytes);
    }

    /** Writes state as release 0.1.0 did: the given lifecycles in a map state and the timer in a value. */
    private static final class ReleaseZeroOneLayout extends KeyedCoProcessFunction<String, PulseEvent, PulseEvent, LifecycleRecord> {
        private final Map<String, MemberLifecycle> members = new TreeMap<>();
        private final long timer;

        ReleaseZeroOneLayout(LifecycleStates saved) {
            saved.entries().forEach(en -> members.put(en.getKey(), en.getValue()));
            timer = saved.timer();
        }

        @Override
        public void processElement1(PulseEvent e, Context ctx, Collector<LifecycleRecord> out) throws Exception {
            MapState<String, MemberLifecycle> m = getRuntimeContext().getMapState(new MapStateDescriptor<>(LifecycleFunction.LEGACY_MEMBERS,
                    Types.STRING, TypeInformation.of(MemberLifecycle.class)));
            ValueState<Long> t = getRuntimeContext().getState(new ValueStateDescriptor<>(LifecycleFunction.LEGACY_TIMER, Types.LONG));
            m.putAll(members);
            t.update(timer);
            ctx.timerService().registerEventTimeTimer(timer);
        }

        @Override
        public void processElement2(PulseEvent e, Context ctx, Collector<LifecycleRecord> out) {}
    }

    @Test
    void shouldContinueFromSnapshotWhenRestoredMidway() throws Exception {
        long last = postEvery("u1", 10, 1);
        OperatorSubtaskState snap = h.snapshot(1L, last);
        int before = records().size();
        h.close();
        h = harness(LifecycleSettings.defaults());
        h.setup();
        h.initializeState(snap);
        h.open();
        watermark(last + 7 * ONE_DAY);
        assertThat(before).isEqualTo(1);
        assertThat(transitions()).containsExactly("active>at_risk:no_activity");
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getEvidence()).contains("\"history_active_days\":10"));
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void shouldGiveSameAlertIdsWhenReplayed() throws Exception {
        long last = postEvery("u1", 10, 1);
        watermark(last + 31 * ONE_DAY);
        List<String> first = alerts().stream().map(AlertRecord::getAlertId).toList();
        h.close();
        h = harness(LifecycleSettings.from(PulseConfig.defaults()));
        h.open();
        postEvery("u1", 10, 1);
        watermark(last + 31 * ONE_DAY);
        assertThat(alerts().stream().map(AlertRecord::getAlertId).toList()).hasSize(2).isEqualTo(first);
    }

    private static long checkpoints;

    /** Keyed state entries in the backend once a checkpoint has written the cached values back. */
    private static int storedEntries(KeyedTwoInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent, LifecycleRecord> x) throws Exception {
        x.snapshot(++checkpoints, checkpoints);
        return x.numKeyedStateEntries();
    }

    private static String shanghai(long ts) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(java.time.Instant.ofEpochMilli(ts).atZone(java.time.ZoneId.of("Asia/Shanghai")));
    }
}
