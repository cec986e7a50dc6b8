package com.communitypulse.alerts;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.MemberRole;
import com.communitypulse.sentiment.ScoredMessage;
import com.communitypulse.testutils.Scored;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NegativeMessageFunctionTest {
    static final long INTERVAL = 5 * ONE_MINUTE;
    static final long EMITTED = 42L;
    private static final ObjectMapper OM = new ObjectMapper();
    private KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord> h;

    static KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new NegativeMessageFunction(-0.6, INTERVAL, WallClock.fixed(EMITTED))),
                ScoredMessage::getCommunityId, Types.STRING);
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

    @Test
    void shouldEmitExactAlertWithMaskedEvidenceWhenMemberComplains() throws Exception {
        ScoredMessage m = Scored.complaint("c1", "u1", BEGINNING + 5 * ONE_SECOND);
        feed(m);
        assertThat(h.extractOutputValues()).as("nothing before the watermark passes the message").isEmpty();
        h.processWatermark(BEGINNING + ONE_MINUTE);

        String evidence = "{\"kind\":\"message\",\"event_id\":\"" + m.getEventId() + "\",\"score\":-0.9,\"categories\":[\"refund\",\"quality\"],"
                + "\"matched_terms\":[\"太差\",\"退款\"],\"excerpt\":\"**太差退款**\",\"max_score\":-0.6,\"rate_limit_ms\":300000,"
                + "\"severity_reason\":\"warning: refund, quality complaint; look when you can\"}";
        AlertRecord expected = new AlertRecord(AlertIds.of(AlertType.NEGATIVE_MESSAGE, "c1", "u1", m.getTs(), m.getEventId()),
                AlertType.NEGATIVE_MESSAGE, Severity.WARNING, "c1", "u1", m.getTs(), EMITTED, null, evidence);
        assertThat(h.extractOutputValues()).containsExactly(expected);
    }

    @Test
    void shouldExplainInWordsAndJudgeByClauseWhenRulesFoundComplaint() throws Exception {
        // The whole message scores only -0.65, its complaint clause -0.78: the clause decides and is quoted.
        ScoredMessage m = Scored.negative("c1", "u1", BEGINNING, -0.65, List.of("delivery"), List.of("还没到"))
                .withFinding("快递十天*还没到", -0.78, List.of("delivery: '还没到' after '快递'"), false);
        ScoredMessage weakClause = Scored.negative("c2", "u1", BEGINNING, -0.95, List.of("delivery"), List.of("慢"))
                .withFinding("**慢", -0.5, List.of("delivery: '慢' after '物流'"), false);
        ScoredMessage scam = Scored.negative("c3", "u2", BEGINNING, -0.9, List.of("fraud"), List.of("骗子"))
                .withFinding("**是骗子", -0.85, List.of("fraud: '骗子' after '是'"), true);
        ScoredMessage mildScam = Scored.negative("c4", "u2", BEGINNING, -0.9, List.of("fraud"), List.of("scam"))
                .withFinding("** scam", -0.65, List.of("fraud: 'scam' after 'is a'"), false);
        for (ScoredMessage x : List.of(m, weakClause, scam, mildScam)) feed(x);
        h.processWatermark(BEGINNING + ONE_MINUTE);
        List<AlertRecord> out = h.extractOutputValues();
        assertThat(out).extracting(AlertRecord::getCommunityId).as("a long message whose worst clause is mild does not alert")
                .containsExactlyInAnyOrder("c1", "c3", "c4");
        AlertRecord a = out.stream().filter(x -> x.getCommunityId().equals("c1")).findFirst().orElseThrow();
        JsonNode ev = OM.readTree(a.getEvidence());
        assertThat(ev.get("summary").asText()).isEqualTo("clause: '快递十天*还没到' (delivery: '还没到' after '快递')");
        assertThat(ev.get("clause_score").asDouble()).isEqualTo(-0.78);
        assertThat(ev.get("why").get(0).asText()).isEqualTo("delivery: '还没到' after '快递'");
        assertThat(a.getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(ev.get("severity_reason").asText()).startsWith("warning: delivery");
        AlertRecord c = out.stream().filter(x -> x.getCommunityId().equals("c3")).findFirst().orElseThrow();
        assertThat(c.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(OM.readTree(c.getEvidence()).get("severity_reason").asText()).isEqualTo("critical: act now, fraud reported with clause score -0.85 (at most -0.75)");
        assertThat(out.stream().filter(x -> x.getCommunityId().equals("c4")).findFirst().orElseThrow().getSeverity())
                .as("fraud with weak evidence is a warning").isEqualTo(Severity.WARNING);
    }

    @Test
    void shouldSayInWordsWhatTheDigestHoldsWhenIntervalCloses() throws Exception {
        String late = "delivery: '还没到' after '快递'";
        for (int i = 0; i < 4; i++) {
            feed(Scored.negative("c1", "u" + (i % 3), BEGINNING + i * ONE_MINUTE, -0.8, List.of("delivery"), List.of("还没到"))
                    .withFinding("快递**还没到", -0.78, List.of(late, "with '差' in the same sentence"), false));
        }
        feed(Scored.negative("c1", "u9", BEGINNING + 4 * ONE_MINUTE, -0.9, List.of("refund"), List.of("不给退"))
                .withFinding("**不给退", -0.78, List.of("refund: '不给退'"), false));
        h.processWatermark(BEGINNING + INTERVAL);
        List<AlertRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        JsonNode ev = OM.readTree(out.get(1).getEvidence());
        assertThat(ev.get("summary").asText()).isEqualTo("4 more complaints from 4 members: delivery 3, refund 1 (most often " + late + ")");
        assertThat(ev.get("top_reasons").get(0).get("reason").asText()).isEqualTo(late);
        assertThat(ev.get("top_reasons").get(0).get("count").asInt()).isEqualTo(3);
        assertThat(ev.get("top_reasons")).as("only category reasons are counted").hasSize(2);
    }

    @Test
    void shouldFoldFurtherHitsIntoOneDigestAndClearStateWhenIntervalCloses() throws Exception {
        feed(Scored.complaint("c1", "u1", BEGINNING));
        feed(Scored.complaint("c1", "u2", BEGINNING + ONE_MINUTE));
        ScoredMessage fraud = Scored.negative("c1", "u3", BEGINNING + 2 * ONE_MINUTE, -0.95, List.of("fraud"), List.of("scam"));
        feed(fraud);
        feed(Scored.complaint("c1", "u2", BEGINNING + 3 * ONE_MINUTE));
        h.processWatermark(BEGINNING + 4 * ONE_MINUTE);
        assertThat(h.extractOutputValues()).hasSize(1);

        h.processWatermark(BEGINNING + INTERVAL);
        List<AlertRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        AlertRecord digest = out.get(1);
        assertThat(digest.getAlertId()).isEqualTo(AlertIds.of(AlertType.NEGATIVE_MESSAGE, "c1", null, BEGINNING, "digest"));
        assertThat(digest.getEventTs()).isEqualTo(BEGINNING + INTERVAL);
        assertThat(digest.getUserId()).isNull();
        assertThat(digest.getSeverity()).as("the fraud hit makes the digest critical").isEqualTo(Severity.CRITICAL);
        JsonNode ev = OM.readTree(digest.getEvidence());
        assertThat(ev.get("count").asInt()).isEqualTo(3);
        assertThat(ev.get("distinct_authors").asInt()).isEqualTo(2);
        assertThat(ev.get("previous_alert_id").asText()).isEqualTo(out.get(0).getAlertId());
        assertThat(ev.get("most_negative").get(0).get("event_id").asText()).isEqualTo(fraud.getEventId());
        assertThat(ev.get("top_terms").get(0).get("term").asText()).isEqualTo("太差");
        assertThat(ev.get("top_terms").get(0).get("count").asInt()).isEqualTo(2);
        assertThat(ev.get("categories").get("refund").asInt()).isEqualTo(2);

        h.processWatermark(BEGINNING + 2 * INTERVAL);
        assertThat(h.extractOutputValues()).as("an empty interval ends the chain silently").hasSize(2);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldAccountForEveryHitWithOneAlertPerIntervalWhenFloodLasts() throws Exception {
        int n = 0;
        for (long t = BEGINNING; t < BEGINNING + 23 * ONE_MINUTE; t += 20 * ONE_SECOND) {
            feed(Scored.complaint("c1", "u" + (n % 4), t));
            n++;
        }
        h.processWatermark(BEGINNING + ONE_HOUR);
        List<AlertRecord> out = h.extractOutputValues();
        // single at B, digests closing at B+5m, +10m, +15m, +20m, +25m; the interval to +30m is empty
        assertThat(out).extracting(AlertRecord::getEventTs).containsExactly(BEGINNING, BEGINNING + INTERVAL, BEGINNING + 2 * INTERVAL,
                BEGINNING + 3 * INTERVAL, BEGINNING + 4 * INTERVAL, BEGINNING + 5 * INTERVAL);
        int accounted = 1;
        for (AlertRecord a : out.subList(1, out.size())) {
            accounted += OM.readTree(a.getEvidence()).get("count").asInt();
        }
        assertThat(accounted).isEqualTo(n);
        assertThat(out).extracting(AlertRecord::getAlertId).doesNotHaveDuplicates();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldIgnoreStaffMildAndUncategorizedMessagesWhenScreening() throws Exception {
        feed(Scored.withRole(Scored.complaint("c1", "staff1", BEGINNING), MemberRole.STAFF));
        feed(Scored.withRole(Scored.complaint("c1", "bot1", BEGINNING), MemberRole.BOT));
        feed(Scored.negative("c1", "u1", BEGINNING, -0.5, List.of("quality"), List.of("bad")));
        feed(Scored.negative("c1", "u1", BEGINNING, -0.9, List.of(), List.of("awful")));
        feed(Scored.neutral("c1", "u2", BEGINNING));
        h.processWatermark(BEGINNING + ONE_HOUR);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldPassOnlyQualifyingMessagesThroughTheCandidateFilterBeforeTheShuffle() throws Exception {
        var f = new NegativeMessageFunction(-0.6, java.util.Map.of("c2", -0.95), INTERVAL, WallClock.fixed(EMITTED));
        var filter = f.candidates();
        assertThat(filter.filter(Scored.complaint("c1", "u1", BEGINNING))).isTrue();
        assertThat(filter.filter(Scored.withRole(Scored.complaint("c1", "staff1", BEGINNING), MemberRole.STAFF))).isFalse();
        assertThat(filter.filter(Scored.negative("c1", "u1", BEGINNING, -0.5, List.of("quality"), List.of("bad")))).isFalse();
        assertThat(filter.filter(Scored.negative("c1", "u1", BEGINNING, -0.9, List.of(), List.of("awful")))).isFalse();
        assertThat(filter.filter(Scored.neutral("c1", "u2", BEGINNING))).isFalse();
        // The community's own threshold applies before the shuffle too.
        assertThat(filter.filter(Scored.negative("c1", "u1", BEGINNING, -0.9, List.of("quality"), List.of("awful")))).isTrue();
        assertThat(filter.filter(Scored.negative("c2", "u1", BEGINNING, -0.9, List.of("quality"), List.of("awful")))).isFalse();
    }

    @Test
    void shouldAlertOnEarliestHitWhenHitsArriveOutOfOrder() throws Exception {
        ScoredMessage early = Scored.complaint("c1", "u1", BEGINNING);
        ScoredMessage later = Scored.complaint("c1", "u2", BEGINNING + 2 * ONE_MINUTE);
        feed(later);
        feed(early);
        h.processWatermark(BEGINNING + 10 * ONE_MINUTE);
        List<AlertRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).getUserId()).isEqualTo("u1");
        assertThat(OM.readTree(out.get(1).getEvidence()).get("count").asInt()).isEqualTo(1);
    }

    @Test
    void shouldKeepCommunitiesApartWhenBothComplain() throws Exception {
        feed(Scored.complaint("c1", "u1", BEGINNING));
        feed(Scored.complaint("c2", "u1", BEGINNING + ONE_SECOND));
        h.processWatermark(BEGINNING + ONE_MINUTE);
        assertThat(h.extractOutputValues()).extracting(AlertRecord::getCommunityId).containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void shouldGiveSameResultsWhenRestoredFromSnapshot() throws Exception {
        List<ScoredMessage> first = List.of(Scored.complaint("c1", "u1", BEGINNING), Scored.complaint("c1", "u2", BEGINNING + ONE_MINUTE),
                Scored.complaint("c1", "u3", BEGINNING + 2 * ONE_MINUTE));
        List<ScoredMessage> second = List.of(Scored.complaint("c1", "u4", BEGINNING + 4 * ONE_MINUTE),
                Scored.complaint("c1", "u1", BEGINNING + 7 * ONE_MINUTE));
        Consumer<KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord>> part1 = x -> run(x, first, BEGINNING + 90 * ONE_SECOND);
        Consumer<KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord>> part2 = x -> run(x, second, BEGINNING + ONE_HOUR);

        part1.accept(h);
        part2.accept(h);
        List<AlertRecord> uninterrupted = h.extractOutputValues();

        var a = harness();
        a.open();
        part1.accept(a);
        List<AlertRecord> restored = new ArrayList<>(a.extractOutputValues());
        OperatorSubtaskState snap = a.snapshot(1, BEGINNING);
        a.close();
        var b = harness();
        b.initializeState(snap);
        b.open();
        part2.accept(b);
        restored.addAll(b.extractOutputValues());
        assertThat(b.numKeyedStateEntries()).isZero();
        b.close();

        assertThat(uninterrupted).hasSize(3);
        assertThat(restored).isEqualTo(uninterrupted);
    }

    private void feed(ScoredMessage m) throws Exception {
        h.processElement(m, m.getTs());
    }

    static void run(KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord> x, List<ScoredMessage> in, long watermark) {
        try {
            for (ScoredMessage m : in) x.processElement(m, m.getTs());
            x.processWatermark(watermark);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
