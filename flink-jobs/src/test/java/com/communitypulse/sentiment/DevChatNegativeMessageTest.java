package com.communitypulse.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.alerts.AlertRecord;
import com.communitypulse.alerts.NegativeMessageFunction;
import com.communitypulse.alerts.WallClock;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * {@code NEGATIVE_MESSAGE} on the development chat set ({@code src/test/resources/dev-chat/README.md}):
 * the set the negative-message rules are tuned on, written apart from the held-out evaluation set.
 * Every message goes through the job's own path with the default configuration
 * ({@link SentimentFunction} → {@link ScoredMessageSplit} → {@link NegativeMessageFunction}), each
 * as its own community so an alert means "this message alerts".
 *
 * <p>The report (stdout) gives precision, recall, the neutral long-post alert share and, for every
 * miss and every false alert, which gate decided it: the scorer's label, the finding's clause score
 * against max-score, or no category in complaint sense. Reading these is what the set is for; the
 * evaluation set's failures are never read for tuning.
 */
class DevChatNegativeMessageTest {
    // Floors just under the figures measured on this set after tuning (2026-12-03: precision 0.979,
    // recall 0.782, 0 of 40 neutral long posts; before tuning 0.724 / 0.259 / 7 of 40); the set is the
    // tuning set, so these guard against regressions only, they are no measure of generalisation
    // (the evaluation set's test is).
    static final double FLOOR_PRECISION = 0.95;
    static final double FLOOR_RECALL = 0.76;
    static final double CEILING_NEUTRAL_LONG = 0.03;

    static final String[] CHAT = {"/dev-chat/zh.jsonl", "/dev-chat/en.jsonl"};
    static final String[] LONG = {"/dev-chat/long-zh.jsonl", "/dev-chat/long-en.jsonl"};
    private static final ObjectMapper OM = new ObjectMapper();
    private static final OutputTag<ScoredMessage> SCORED = new OutputTag<>("scored") {};

    record Case(String id, String lang, String text, boolean actionable, String category, String phenomenon) {}

    record Outcome(Case c, ScoredMessage scored, AlertRecord alert) {
        boolean alerted() {
            return alert != null;
        }
    }

    @Test
    void shouldHoldTheSetsInvariants() {
        List<Case> zh = load(CHAT[0]), en = load(CHAT[1]);
        assertThat(zh).hasSizeGreaterThanOrEqualTo(600);
        assertThat(en).hasSizeGreaterThanOrEqualTo(300);
        Set<String> ids = new HashSet<>();
        Set<String> categories = new HashSet<>();
        for (ModerationCategory m : ModerationCategory.values()) categories.add(m.wireName());
        List<Case> all = new ArrayList<>(zh);
        all.addAll(en);
        all.addAll(load(LONG[0]));
        all.addAll(load(LONG[1]));
        for (Case c : all) {
            assertThat(ids.add(c.id())).as("unique id %s", c.id()).isTrue();
            assertThat(c.text()).isNotBlank();
            if (c.actionable()) assertThat(c.category()).as("%s category", c.id()).isIn(categories);
            else assertThat(c.category()).as("%s has no category", c.id()).isNull();
        }
        for (List<Case> set : List.of(zh, en)) {
            double share = (double) set.stream().filter(Case::actionable).count() / set.size();
            assertThat(share).as("actionable share").isBetween(0.20, 0.40);
            assertThat(set.stream().filter(Case::actionable).map(Case::category).distinct().count())
                    .as("every category has cases").isEqualTo(categories.size());
        }
    }

    @Test
    void shouldReportPrecisionAndRecallOnTheDevelopmentSet() throws Exception {
        List<Case> chat = new ArrayList<>();
        for (String f : CHAT) chat.addAll(load(f));
        List<Case> neutral = new ArrayList<>();
        for (String f : LONG) neutral.addAll(load(f));
        List<Case> all = new ArrayList<>(chat);
        all.addAll(neutral);
        Map<String, Outcome> out = run(all);

        StringBuilder r = new StringBuilder("\n==== NEGATIVE_MESSAGE on the development chat set (src/test/resources/dev-chat) ====\n");
        long[] total = prf(chat, out, null);
        long[] zh = prf(chat, out, "zh");
        long[] en = prf(chat, out, "en");
        long longAlerts = neutral.stream().filter(c -> out.get(c.id()).alerted()).count();
        double neutralShare = (double) longAlerts / neutral.size();
        r.append(String.format(Locale.ROOT, "%-10s %9s %9s %5s %5s %5s%n", "", "precision", "recall", "tp", "fp", "fn"));
        for (Object[] row : new Object[][] {{"all", total}, {"zh", zh}, {"en", en}}) {
            long[] p = (long[]) row[1];
            r.append(String.format(Locale.ROOT, "%-10s %9.3f %9.3f %5d %5d %5d%n", row[0], precision(p), recall(p), p[0], p[1], p[2]));
        }
        r.append(String.format(Locale.ROOT, "neutral long posts alerting: %d of %d (%.3f)%n", longAlerts, neutral.size(), neutralShare));

        Map<String, int[]> byPhen = new TreeMap<>();
        for (Case c : chat) {
            int[] a = byPhen.computeIfAbsent((c.actionable() ? "actionable " : "not ") + c.phenomenon(), k -> new int[2]);
            a[1]++;
            if (out.get(c.id()).alerted()) a[0]++;
        }
        r.append("\nalert rate by label / phenomenon:\n");
        byPhen.forEach((k, a) -> r.append(String.format(Locale.ROOT, "  %-36s %3d/%-3d%n", k, a[0], a[1])));

        double maxScore = PulseConfig.defaults().get(PulseConfig.NEG_MESSAGE_SCORE);
        NegativeRules rules = NegativeRules.bundled();
        SentimentScorer lexicon = SentimentScorers.create(SentimentScorers.LEXICON);
        r.append("\nmisses (gate: label / clause score / categories):\n");
        for (Case c : chat) {
            Outcome o = out.get(c.id());
            if (c.actionable() && !o.alerted()) r.append(diagnose(o, rules, lexicon, maxScore));
        }
        r.append("\nfalse alerts:\n");
        for (Case c : all) {
            Outcome o = out.get(c.id());
            if (!c.actionable() && o.alerted()) r.append(diagnose(o, rules, lexicon, maxScore));
        }
        System.out.println(r);

        assertThat(precision(total)).as("dev precision (floor)").isGreaterThanOrEqualTo(FLOOR_PRECISION);
        assertThat(recall(total)).as("dev recall (floor)").isGreaterThanOrEqualTo(FLOOR_RECALL);
        assertThat(neutralShare).as("dev neutral long alert share (ceiling)").isLessThanOrEqualTo(CEILING_NEUTRAL_LONG);
    }

    private static String diagnose(Outcome o, NegativeRules rules, SentimentScorer lexicon, double maxScore) {
        Case c = o.c();
        NegativeFinding f = rules.assess(c.text());
        SentimentResult lex = lexicon.score(c.text(), c.lang());
        String gate = o.scored().getLabel() != SentimentLabel.NEGATIVE ? "LABEL"
                : f == null ? "NO-FINDING" : f.score() > maxScore ? "CLAUSE" : o.alerted() ? "ALERT" : "?";
        return String.format(Locale.ROOT, "  %-13s %-10s %-8s model %6.2f lex %6.2f finding %s %-28s %s%n", c.id(),
                c.actionable() ? c.category() : "not/" + c.phenomenon(), gate, o.scored().getScore(), lex.score(),
                f == null ? "  -  " : String.format(Locale.ROOT, "%5.2f", f.score()), f == null ? "" : f.categories() + " " + f.reasons(),
                c.text().length() > 90 ? c.text().substring(0, 90) + "…" : c.text());
    }

    /** {tp, fp, fn, tn} of "alerted" against "actionable" for one language, or all when lang is null. */
    private static long[] prf(List<Case> chat, Map<String, Outcome> out, String lang) {
        long[] p = new long[4];
        for (Case c : chat) {
            if (lang != null && !c.lang().equals(lang)) continue;
            boolean a = out.get(c.id()).alerted();
            p[a && c.actionable() ? 0 : a ? 1 : c.actionable() ? 2 : 3]++;
        }
        return p;
    }

    private static double precision(long[] p) {
        return p[0] + p[1] == 0 ? 0 : (double) p[0] / (p[0] + p[1]);
    }

    private static double recall(long[] p) {
        return p[0] + p[2] == 0 ? 0 : (double) p[0] / (p[0] + p[2]);
    }

    static Map<String, Outcome> run(List<Case> cases) throws Exception {
        PulseConfig cfg = PulseConfig.defaults();
        Map<String, Case> byId = new LinkedHashMap<>();
        for (Case c : cases) byId.put(c.id(), c);
        List<ScoredMessage> scored = new ArrayList<>();
        try (OneInputStreamOperatorTestHarness<PulseEvent, PulseEvent> sentiment =
                     ProcessFunctionTestHarnesses.forProcessFunction(new SentimentFunction(cfg.get(PulseConfig.SENTIMENT_MODEL)));
             OneInputStreamOperatorTestHarness<PulseEvent, PulseEvent> split =
                     ProcessFunctionTestHarnesses.forProcessFunction(new ScoredMessageSplit(SCORED))) {
            long ts = 1_750_000_000_000L;
            for (Case c : cases) {
                sentiment.processElement(PulseEvent.message(c.id(), c.id(), "member-" + c.id(), ts, EventKind.POST, c.text()).withLang(c.lang()), ts);
                ts += 1000;
            }
            for (PulseEvent e : sentiment.extractOutputValues()) split.processElement(e, e.getTs());
            var q = split.getSideOutput(SCORED);
            if (q != null) q.forEach(rec -> scored.add(rec.getValue()));
        }
        assertThat(scored).hasSize(cases.size());
        Map<String, AlertRecord> alerts = new HashMap<>();
        try (KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new NegativeMessageFunction(cfg.get(PulseConfig.NEG_MESSAGE_SCORE),
                        cfg.millis(PulseConfig.NEG_MESSAGE_INTERVAL), WallClock.fixed(0))),
                ScoredMessage::getCommunityId, Types.STRING)) {
            h.open();
            for (ScoredMessage m : scored) h.processElement(m, m.getTs());
            h.processWatermark(Long.MAX_VALUE);
            for (AlertRecord a : h.extractOutputValues()) assertThat(alerts.put(a.getCommunityId(), a)).as("one alert per case").isNull();
        }
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (ScoredMessage m : scored) out.put(m.getEventId(), new Outcome(byId.get(m.getEventId()), m, alerts.get(m.getEventId())));
        return out;
    }

    static List<Case> load(String resource) {
        List<Case> l = new ArrayList<>();
        try (InputStream in = DevChatNegativeMessageTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is not on the test classpath: restore it under src/test/resources" + resource);
            BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int n = 0;
            while ((line = br.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                JsonNode j;
                try {
                    j = OM.readTree(line);
                } catch (IOException e) {
                    throw new IllegalStateException(resource + ":" + n + " is not one JSON object per line (" + e.getMessage() + "): fix that line");
                }
                String label = j.path("label").asText();
                if (!label.equals("actionable") && !label.equals("not")) {
                    throw new IllegalStateException(resource + ":" + n + " has label '" + label + "': use 'actionable' or 'not'");
                }
                String phenomenon = j.hasNonNull("phenomenon") ? j.get("phenomenon").asText() : j.path("topic").asText(null);
                l.add(new Case(j.path("id").asText(), j.path("lang").asText(), j.path("text").asText(), label.equals("actionable"),
                        j.hasNonNull("category") ? j.get("category").asText() : null, phenomenon));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return l;
    }
}
