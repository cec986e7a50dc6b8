package com.communitypulse.alerts;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.MemberRole;
import com.communitypulse.sentiment.ScoredMessage;
import com.communitypulse.testutils.Scored;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.communitypulse.config.PulseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NegativeSpikeFunctionTest {
    static final long WINDOW = 15 * ONE_MINUTE;
    static final long EMITTED = 7L;
    /**
     * Defaults of PulseConfig except a baseline that matures after 4 windows, so tests stay short,
     * and significance 0.001 so that the 6-of-10 burst below (P ≈ 0.00015) counts as a spike.
     */
    static final SpikeSettings SETTINGS = new SpikeSettings(WINDOW, 0.4, 10, 3, 3.0, 3 * ONE_DAY, 4, 0.1, 5 * ONE_MINUTE, 0.6, 7 * ONE_DAY, 0.001, 0.1);
    private static final ObjectMapper OM = new ObjectMapper();
    private KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord> h;

    static KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord> harness() throws Exception {
        return harness(new NegativeSpikeFunction(SETTINGS, WallClock.fixed(EMITTED)));
    }

    static KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord> harness(NegativeSpikeFunction f) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(com.communitypulse.state.WriteBackOperators.of(f), ScoredMessage::getCommunityId, Types.STRING);
    }

    @BeforeEach
    void setUp() throws Exception {
        h = harness();
        h.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    /** 6 complaints from u1..u3 and 4 neutral messages in the minute starting at {@code minute}. */
    static List<ScoredMessage> burst(String community, long minute) {
        List<ScoredMessage> l = new ArrayList<>();
        for (int i = 0; i < 6; i++) l.add(Scored.complaint(community, "u" + (1 + i % 3), minute + i * ONE_SECOND));
        for (int i = 0; i < 4; i++) l.add(Scored.neutral(community, "n" + i, minute + (10 + i) * ONE_SECOND));
        return l;
    }

    @Test
    void shouldFireOnceThenResolveAndClearStateWhenBurstFromThreeMembersPasses() throws Exception {
        feed(burst("c1", BEGINNING));
        h.processWatermark(BEGINNING + ONE_MINUTE);
        List<AlertRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(1);
        AlertRecord firing = out.get(0);
        assertThat(firing.getAlertId()).isEqualTo(AlertIds.of(AlertType.NEGATIVE_SPIKE, "c1", null, BEGINNING + ONE_MINUTE, "firing"));
        assertThat(firing.getState()).isEqualTo(AlertState.FIRING);
        assertThat(firing.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(firing.getEventTs()).isEqualTo(BEGINNING + ONE_MINUTE);
        assertThat(firing.getEmittedAt()).isEqualTo(EMITTED);
        JsonNode ev = OM.readTree(firing.getEvidence());
        assertThat(ev.get("ratio").asDouble()).isEqualTo(0.6);
        assertThat(ev.get("scored").asInt()).isEqualTo(10);
        assertThat(ev.get("negative").asInt()).isEqualTo(6);
        assertThat(ev.get("distinct_negative_authors").asInt()).isEqualTo(3);
        assertThat(ev.get("window_start").asLong()).isEqualTo(BEGINNING + ONE_MINUTE - WINDOW);
        assertThat(ev.get("entry_level").asDouble()).isEqualTo(0.4);
        assertThat(ev.get("baseline").get("mature").asBoolean()).isFalse();
        assertThat(ev.get("most_negative")).hasSize(5);
        assertThat(ev.get("top_terms").get(0).get("count").asInt()).isEqualTo(6);

        // The burst stays in the window until B+15m; it is empty from B+16m and calm for 5 minutes at B+21m.
        h.processWatermark(BEGINNING + 20 * ONE_MINUTE);
        assertThat(h.extractOutputValues()).hasSize(1);
        h.processWatermark(BEGINNING + 21 * ONE_MINUTE);
        out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        AlertRecord resolved = out.get(1);
        assertThat(resolved.getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.getSeverity()).isEqualTo(Severity.INFO);
        assertThat(resolved.getEventTs()).isEqualTo(BEGINNING + 21 * ONE_MINUTE);
        assertThat(resolved.getAlertId()).isEqualTo(AlertIds.of(AlertType.NEGATIVE_SPIKE, "c1", null, BEGINNING + ONE_MINUTE, "resolved"));
        JsonNode rev = OM.readTree(resolved.getEvidence());
        assertThat(rev.get("firing_alert_id").asText()).isEqualTo(firing.getAlertId());
        assertThat(rev.get("duration_ms").asLong()).isEqualTo(20 * ONE_MINUTE);
        assertThat(rev.get("peak_ratio").asDouble()).isEqualTo(0.6);

        // The window [B, B+15m) taught the baseline one sample, which is kept for the 7-day retention, then dropped.
        h.processWatermark(BEGINNING + 8 * ONE_DAY);
        assertThat(h.extractOutputValues()).hasSize(2);
        assertThat(storedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldNotFireWhenOneMemberFloods() throws Exception {
        List<ScoredMessage> in = new ArrayList<>();
        for (int i = 0; i < 30; i++) in.add(Scored.complaint("c1", "flooder", BEGINNING + i * 10 * ONE_SECOND));
        for (int i = 0; i < 5; i++) in.add(Scored.neutral("c1", "n" + i, BEGINNING + i * ONE_MINUTE));
        in.add(Scored.complaint("c1", "u2", BEGINNING + 2 * ONE_MINUTE));
        feed(in);
        h.processWatermark(BEGINNING + ONE_HOUR);
        assertThat(h.extractOutputValues()).isEmpty();
    }

    @Test
    void shouldNotFireWhenTooFewMessagesOrStaffOnly() throws Exception {
        List<ScoredMessage> in = new ArrayList<>();
        for (int i = 0; i < 9; i++) in.add(Scored.complaint("c1", "u" + i, BEGINNING + i * ONE_SECOND));
        for (int i = 0; i < 20; i++) in.add(Scored.withRole(Scored.complaint("c2", "staff" + i, BEGINNING + i * ONE_SECOND), MemberRole.STAFF));
        feed(in);
        h.processWatermark(BEGINNING + ONE_HOUR);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(storedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldNotFlapWhenRatioHoversAroundThresholdDuringEpisode() throws Exception {
        // 30 minutes: each minute 2 messages; negative share alternates so that the 15-minute ratio wobbles between ~0.35 and ~0.55.
        List<ScoredMessage> in = new ArrayList<>();
        for (int m = 0; m < 30; m++) {
            long t = BEGINNING + m * ONE_MINUTE;
            boolean heavy = (m / 5) % 2 == 0;
            in.add(heavy ? Scored.complaint("c1", "u" + (m % 5), t) : Scored.neutral("c1", "n" + m, t));
            in.add(m % 3 == 0 ? Scored.complaint("c1", "v" + (m % 4), t + ONE_SECOND) : Scored.neutral("c1", "p" + m, t + ONE_SECOND));
        }
        feed(in);
        h.processWatermark(BEGINNING + 2 * ONE_HOUR);
        List<AlertRecord> out = h.extractOutputValues();
        assertThat(out).extracting(AlertRecord::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
    }

    @Test
    void shouldRequireRatioWellAboveOwnBaselineWhenBaselineIsMature() throws Exception {
        // Six quarters with ratio 0.45 from only two negative authors: never fires, but teaches the baseline (mean 0.45).
        List<ScoredMessage> in = new ArrayList<>();
        for (int q = 0; q < 6; q++) {
            long start = BEGINNING + q * WINDOW;
            for (int i = 0; i < 20; i++) {
                long t = start + i * 30 * ONE_SECOND;
                in.add(i % 2 == 0 && i < 18 ? Scored.complaint("c1", "u" + (i % 4), t) : Scored.neutral("c1", "n" + i, t));
            }
        }
        // Quarter 7: ratio 0.5 from five members. Above the global 0.4, below mean + 3 x 0.05 = 0.6.
        long q7 = BEGINNING + 6 * WINDOW;
        List<ScoredMessage> quarter7 = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t = q7 + 10 * ONE_MINUTE + i * 10 * ONE_SECOND;
            quarter7.add(i % 2 == 0 ? Scored.complaint("c1", "w" + (i % 5), t) : Scored.neutral("c1", "n" + i, t));
        }
        in.addAll(quarter7);
        feed(in);
        h.processWatermark(q7 + WINDOW + 30 * ONE_MINUTE);
        assertThat(h.extractOutputValues()).isEmpty();

        // The same quarter in a community without history fires: a young baseline falls back to the global threshold.
        var fresh = harness();
        fresh.open();
        for (ScoredMessage m : quarter7) fresh.processElement(copyTo(m, "c2"), m.getTs());
        fresh.processWatermark(q7 + WINDOW + 30 * ONE_MINUTE);
        assertThat(fresh.extractOutputValues()).extracting(AlertRecord::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        fresh.close();

        // Quarter 10 in c1: ratio 0.8 from five members clears the baseline bar.
        long q10 = BEGINNING + 10 * WINDOW;
        List<ScoredMessage> big = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t = q10 + i * 10 * ONE_SECOND;
            big.add(i < 16 ? Scored.complaint("c1", "x" + (i % 5), t) : Scored.neutral("c1", "n" + i, t));
        }
        feed(big);
        h.processWatermark(q10 + 4 * ONE_MINUTE);
        List<AlertRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(1);
        JsonNode ev = OM.readTree(out.get(0).getEvidence());
        assertThat(ev.get("baseline").get("mature").asBoolean()).isTrue();
        assertThat(ev.get("baseline").get("mean").asDouble()).isBetween(0.44, 0.47);
        assertThat(ev.get("entry_level").asDouble()).isGreaterThan(0.55);
    }

    @Test
    void shouldGiveSameResultsWhenRestoredFromSnapshot() throws Exception {
        List<ScoredMessage> first = burst("c1", BEGINNING);
        List<ScoredMessage> second = burst("c1", BEGINNING + 3 * ONE_MINUTE);
        feed(first);
        h.processWatermark(BEGINNING + 2 * ONE_MINUTE);
        feed(second);
        h.processWatermark(BEGINNING + ONE_HOUR);
        List<AlertRecord> uninterrupted = h.extractOutputValues();

        var a = harness();
        a.open();
        for (ScoredMessage m : first) a.processElement(m, m.getTs());
        a.processWatermark(BEGINNING + 2 * ONE_MINUTE);
        List<AlertRecord> restored = new ArrayList<>(a.extractOutputValues());
        OperatorSubtaskState snap = a.snapshot(1, BEGINNING);
        a.close();
        var b = harness();
        b.initializeState(snap);
        b.open();
        for (ScoredMessage m : second) b.processElement(m, m.getTs());
        b.processWatermark(BEGINNING + ONE_HOUR);
        restored.addAll(b.extractOutputValues());
        b.close();

        assertThat(uninterrupted).extracting(AlertRecord::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        assertThat(restored).isEqualTo(uninterrupted);
    }

    @Test
    void shouldNotTouchBucketsWhileOnlyNonNegativeMessagesArrive() throws Exception {
        var f = new NegativeSpikeFunction(SETTINGS, WallClock.fixed(EMITTED));
        var q = harness(f);
        q.open();
        // Three quiet hours, evaluated minute by minute as in a live stream: 180 evaluations, 12 baseline samples.
        long t = BEGINNING;
        for (; t < BEGINNING + 3 * ONE_HOUR; t += ONE_MINUTE) {
            quietMinute(q, t);
            q.processWatermark(t + ONE_MINUTE);
        }
        assertThat(q.extractOutputValues()).isEmpty();
        assertThat(f.bucketAccesses).isZero();
        // Minute counts and baseline only.
        assertThat(storedEntries(q)).isEqualTo(2);
        assertThat(q.numEventTimeTimers()).isEqualTo(1);

        // 40 complaints from four members: 40 of 85 messages in the window is above the entry level 0.4.
        for (int i = 0; i < 40; i++) q.processElement(Scored.complaint("c1", "a" + i % 4, t + i * ONE_SECOND), t + i * ONE_SECOND);
        quietMinute(q, t);
        q.processWatermark(t + ONE_MINUTE);
        assertThat(q.extractOutputValues()).extracting(AlertRecord::getState).containsExactly(AlertState.FIRING);
        long afterFiring = f.bucketAccesses;
        assertThat(afterFiring).isEqualTo(40 * 2 + 1);

        for (t += ONE_MINUTE; t < BEGINNING + 4 * ONE_HOUR; t += ONE_MINUTE) {
            quietMinute(q, t);
            q.processWatermark(t + ONE_MINUTE);
        }
        assertThat(q.extractOutputValues()).extracting(AlertRecord::getState).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        // The resolution's window held no negative minute to read; the burst's bucket was deleted once, when it left the window.
        assertThat(f.bucketAccesses).isEqualTo(afterFiring + 1);
        assertThat(storedEntries(q)).isEqualTo(2);

        q.processWatermark(t + 8 * ONE_DAY);
        assertThat(storedEntries(q)).isZero();
        assertThat(q.numEventTimeTimers()).isZero();
        q.close();
    }

    private static void quietMinute(KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord> q, long minute) throws Exception {
        for (int i = 0; i < 3; i++) {
            long ts = minute + (20 + 10 * i) * ONE_SECOND;
            q.processElement(i == 0 ? Scored.neutral("c1", "n" + i, ts) : Scored.positive("c1", "p" + i, ts), ts);
        }
    }

    private static ScoredMessage copyTo(ScoredMessage m, String community) {
        return new ScoredMessage(m.getEventId() + "-" + community, community, m.getUserId(), m.getTs(), m.getRole(), m.getScore(),
                m.getLabel(), m.getCategories(), m.getTerms(), m.getExcerpt());
    }

    @Test
    void shouldApplyACommunitysOwnThresholdsWhenOverridden(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("overrides.properties");
        Files.writeString(f, "strict.negative-spike.min-authors = 4\nloose.negative-spike.ratio = 0.2\n");
        SpikeSettings s = SpikeSettings.from(PulseConfig.defaults().with("thresholds.overrides", f.toString())
                .with("alerts.negative-spike.significance", "0.001"));
        try (var o = harness(new NegativeSpikeFunction(s, WallClock.fixed(EMITTED)))) {
            o.open();
            // Six complaints from three members in ten messages: enough for the global rules, not for "strict".
            for (String c : List.of("c1", "strict")) for (ScoredMessage m : burst(c, BEGINNING)) o.processElement(m, m.getTs());
            // 15 complaints from five members among 50 messages (0.3): fires only where the ratio threshold is lowered to 0.2.
            for (String c : List.of("c2", "loose")) {
                for (int i = 0; i < 50; i++) {
                    ScoredMessage m = i < 15 ? Scored.complaint(c, "u" + (i % 5), BEGINNING + i * ONE_SECOND) : Scored.neutral(c, "n" + i, BEGINNING + i * ONE_SECOND);
                    o.processElement(m, m.getTs());
                }
            }
            o.processWatermark(BEGINNING + ONE_MINUTE);
            List<AlertRecord> out = o.extractOutputValues();
            assertThat(out).extracting(AlertRecord::getCommunityId).containsExactlyInAnyOrder("c1", "loose");
            AlertRecord loose = out.stream().filter(a -> a.getCommunityId().equals("loose")).findFirst().orElseThrow();
            assertThat(OM.readTree(loose.getEvidence()).get("entry_level").asDouble()).isEqualTo(0.2);
        }
    }

    @Test
    void shouldJudgeSignificanceAtAYoungCommunitysOwnShareWhenHigherThanThePrior() throws Exception {
        // Two quarters at ratio 0.45 (from two authors: no alert) leave a young baseline (2 < 4 samples), mean 0.45.
        List<ScoredMessage> in = new ArrayList<>();
        for (int q = 0; q < 2; q++) {
            for (int i = 0; i < 20; i++) {
                long t = BEGINNING + q * WINDOW + i * 30 * ONE_SECOND;
                in.add(i % 2 == 0 && i < 18 ? Scored.complaint("c1", "u" + (i % 2), t) : Scored.neutral("c1", "n" + i, t));
            }
        }
        // Then 10 complaints from five members among 20: P ≈ 7e-6 at the 0.1 prior, ≈ 0.4 at the community's own 0.45.
        long q3 = BEGINNING + 2 * WINDOW;
        List<ScoredMessage> quarter3 = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t = q3 + 10 * ONE_MINUTE + i * 10 * ONE_SECOND;
            quarter3.add(i % 2 == 0 ? Scored.complaint("c1", "w" + (i % 5), t) : Scored.neutral("c1", "n" + i, t));
        }
        in.addAll(quarter3);
        feed(in);
        h.processWatermark(q3 + WINDOW + 30 * ONE_MINUTE);
        assertThat(h.extractOutputValues()).isEmpty();

        // Without that history the same quarter is judged at the prior and fires.
        var fresh = harness();
        fresh.open();
        for (ScoredMessage m : quarter3) fresh.processElement(copyTo(m, "c2"), m.getTs());
        fresh.processWatermark(q3 + WINDOW + 30 * ONE_MINUTE);
        assertThat(fresh.extractOutputValues()).extracting(AlertRecord::getState).startsWith(AlertState.FIRING);
        fresh.close();
    }

    private void feed(List<ScoredMessage> in) throws Exception {
        for (ScoredMessage m : in) h.processElement(m, m.getTs());
    }

    /**
     * Skipping quiet minutes must not change a single alert: the same messages (sparse chatter, bursts,
     * out-of-order and late arrivals, three communities, two days) through a function that evaluates
     * every minute (the reference) and through the skipping one.
     */
    @Test
    void shouldEmitTheSameAlertsAsEvaluatingEveryMinuteWhenQuietMinutesAreSkipped() throws Exception {
        java.util.Random rnd = new java.util.Random(7);
        List<ScoredMessage> msgs = new ArrayList<>();
        for (String c : List.of("c1", "c2", "c3")) {
            for (long m = BEGINNING; m < BEGINNING + 2 * ONE_DAY; m += ONE_MINUTE) {
                double p = rnd.nextDouble();
                if (p < 0.004) {
                    msgs.addAll(burst(c, m));
                    msgs.addAll(burst(c, m + ONE_MINUTE));
                } else if (p < 0.05) {
                    for (int k = 0; k < 1 + rnd.nextInt(12); k++) {
                        long ts = m + rnd.nextInt(60) * ONE_SECOND;
                        String u = "u" + rnd.nextInt(30);
                        msgs.add(rnd.nextDouble() < 0.05 ? Scored.complaint(c, u, ts) : Scored.neutral(c, u, ts));
                    }
                } else if (p < 0.15) {
                    msgs.add(Scored.neutral(c, "u" + rnd.nextInt(30), m + rnd.nextInt(60) * ONE_SECOND));
                }
            }
        }
        msgs.sort(java.util.Comparator.comparingLong(ScoredMessage::getTs));
        // Out of order within 40 s, and every 50th message arrives 3 minutes late.
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < msgs.size(); i++) {
            long arrival = msgs.get(i).getTs() + rnd.nextInt(40) * ONE_SECOND + (i % 50 == 0 ? 3 * ONE_MINUTE : 0);
            order.add(new long[] {arrival, i});
        }
        order.sort(java.util.Comparator.comparingLong(a -> a[0]));

        NegativeSpikeFunction reference = new NegativeSpikeFunction(SETTINGS, WallClock.fixed(EMITTED));
        reference.skipQuietMinutes = false;
        NegativeSpikeFunction skipping = new NegativeSpikeFunction(SETTINGS, WallClock.fixed(EMITTED));
        List<List<String>> outs = new ArrayList<>();
        for (NegativeSpikeFunction f : List.of(reference, skipping)) {
            try (KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord> t = harness(f)) {
                t.open();
                long wm = Long.MIN_VALUE;
                for (long[] a : order) {
                    ScoredMessage m = msgs.get((int) a[1]);
                    t.processElement(m, m.getTs());
                    long next = Math.floorDiv(a[0] - 45 * ONE_SECOND, ONE_MINUTE) * ONE_MINUTE;
                    if (next > wm) {
                        wm = next;
                        t.processWatermark(wm);
                    }
                }
                t.processWatermark(BEGINNING + 3 * ONE_DAY);
                List<String> alerts = new ArrayList<>();
                for (AlertRecord r : t.extractOutputValues()) alerts.add(r.getAlertId() + " " + r.getEventTs() + " " + r.getEvidence());
                outs.add(alerts);
            }
        }
        assertThat(outs.get(0)).hasSizeGreaterThan(4);
        assertThat(outs.get(1)).containsExactlyElementsOf(outs.get(0));
        assertThat(reference.skippedEvaluations).isZero();
        assertThat(skipping.skippedEvaluations).isGreaterThan(1000);
    }

    private static long checkpoints;

    /** Keyed state entries in the backend once a checkpoint has written the cached values back. */
    private static int storedEntries(KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord> x) throws Exception {
        x.snapshot(++checkpoints, checkpoints);
        return x.numKeyedStateEntries();
    }
}
