package com.communitypulse.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.sentiment.ModerationCategory;
import com.communitypulse.sentiment.ScoredMessage;
import com.communitypulse.sentiment.ScoredMessageSplit;
import com.communitypulse.sentiment.SentimentFunction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * How {@code NEGATIVE_MESSAGE} alerts do on the project's hand-written evaluation sets
 * ({@code src/test/resources/eval/README.md}: what the labels mean, how the sets were written and the
 * rule that cases are never edited after looking at failures).
 *
 * <p>Every message goes through the job's own path with the default configuration: the
 * {@link SentimentFunction} with the configured scorer, the {@link ScoredMessageSplit} that hands
 * scored messages to the alert functions, and the {@link NegativeMessageFunction} operator with the
 * configured max-score and interval. Each message is sent as its own community, so the per-community
 * rate limit never folds one message into another's digest and an alert means exactly "this message
 * alerts".
 *
 * <p>The report (stdout) gives precision, recall and F1 of "alerts" against "actionable", overall and
 * per language, category accuracy among true positives, the share of neutral long posts that alert,
 * alert rates per phenomenon and the first ten false positives and negatives.
 */
class NegativeMessageEvalTest {
    // Floors: just under the figures measured on 2026-12-03 after the rules were tuned on the separate
    // development set (src/test/resources/dev-chat; this set was read only for these totals): precision
    // 0.835, recall 0.446, F1 0.581, zh 0.844 / 0.470, en 0.815 / 0.396, category 0.914, neutral long
    // 0.003 (1 of 311). Before that tuning: precision 0.680, recall 0.243, neutral long 0.045. Raise them
    // whenever the scorer or the rules improve; never lower them to let a change in. The goals
    // moderators need are the GOAL_ constants; the report prints both.
    static final double FLOOR_PRECISION = 0.80;
    static final double FLOOR_RECALL = 0.42;
    static final double FLOOR_F1 = 0.55;
    static final double FLOOR_PRECISION_ZH = 0.82;
    static final double FLOOR_RECALL_ZH = 0.45;
    static final double FLOOR_PRECISION_EN = 0.75;
    static final double FLOOR_RECALL_EN = 0.37;
    static final double FLOOR_CATEGORY_ACCURACY = 0.89;
    /** A ceiling: the share of neutral long posts that alert may not grow above this. Lower it as the rules improve. */
    static final double CEILING_NEUTRAL_LONG_ALERT_SHARE = 0.01;

    static final double GOAL_PRECISION = 0.90;
    static final double GOAL_RECALL = 0.80;
    static final double GOAL_NEUTRAL_LONG_ALERT_SHARE = 0.01;

    static final String CHAT_ZH = "/eval/community-chat/zh.jsonl";
    static final String CHAT_EN = "/eval/community-chat/en.jsonl";
    static final String LONG_ZH = "/eval/neutral-long/zh.jsonl";
    static final String LONG_EN = "/eval/neutral-long/en.jsonl";
    static final long BASE_TS = 1_750_000_000_000L;
    static final int WORST_SHOWN = 10;

    private static final ObjectMapper OM = new ObjectMapper();
    private static final OutputTag<ScoredMessage> SCORED = new OutputTag<>("scored") {};

    /** One labelled message of a set. {@code category} is null unless actionable. */
    record Case(String id, String lang, String text, boolean actionable, String category, String phenomenon, String file) {}

    /** What the job did with one case: its scored message and its alert, null when it did not alert. */
    record Outcome(Case c, ScoredMessage scored, AlertRecord alert) {
        boolean alerted() {
            return alert != null;
        }

        List<String> alertCategories() {
            List<String> l = new ArrayList<>();
            if (alert != null) evidence(alert).path("categories").forEach(n -> l.add(n.asText()));
            return l;
        }

        /** The score an alert was decided on, from its evidence: the clause's when it names one, else the message's. */
        double decisionScore() {
            if (alert == null) return scored.getScore();
            JsonNode ev = evidence(alert);
            return ev.has("clause_score") ? ev.get("clause_score").asDouble() : ev.path("score").asDouble();
        }
    }

    @Test
    void shouldHoldTheSetsOwnInvariants() {
        List<Case> chatZh = load(CHAT_ZH), chatEn = load(CHAT_EN), longZh = load(LONG_ZH), longEn = load(LONG_EN);
        assertThat(chatZh).as("Chinese chat messages").hasSizeGreaterThanOrEqualTo(600);
        assertThat(chatEn).as("English chat messages").hasSizeGreaterThanOrEqualTo(300);
        assertThat(longZh.size() + longEn.size()).as("neutral long posts").isGreaterThanOrEqualTo(300);

        Set<String> ids = new HashSet<>();
        Set<String> categories = new HashSet<>();
        for (ModerationCategory m : ModerationCategory.values()) categories.add(m.wireName());
        for (List<Case> set : List.of(chatZh, chatEn, longZh, longEn)) {
            for (Case c : set) {
                assertThat(ids.add(c.id())).as("id %s in %s is unique across all sets", c.id(), c.file()).isTrue();
                assertThat(c.text()).as("%s has text", c.id()).isNotBlank();
                assertThat(c.phenomenon()).as("%s has a phenomenon or topic", c.id()).isNotBlank();
                if (c.actionable()) {
                    assertThat(c.category()).as("actionable %s names a ModerationCategory", c.id()).isIn(categories);
                } else {
                    assertThat(c.category()).as("%s is not actionable and has no category", c.id()).isNull();
                }
            }
        }
        assertThat(chatZh).allMatch(c -> c.lang().equals("zh"), "lang zh");
        assertThat(chatEn).allMatch(c -> c.lang().equals("en"), "lang en");
        for (List<Case> set : List.of(chatZh, chatEn)) {
            long actionable = set.stream().filter(Case::actionable).count();
            assertThat((double) actionable / set.size()).as("actionable share of %s", set.get(0).file()).isBetween(0.20, 0.40);
        }
        assertThat(longZh).allMatch(c -> !c.actionable() && c.lang().equals("zh") && c.text().codePointCount(0, c.text().length()) >= 150,
                "neutral, zh, at least 150 characters");
        assertThat(longEn).allMatch(c -> !c.actionable() && c.lang().equals("en") && c.text().length() >= 300,
                "neutral, en, at least 300 characters");
        assertThat(chatZh.stream().filter(Case::actionable).map(Case::category).distinct().count())
                .as("every category has Chinese cases").isEqualTo(categories.size());
        assertThat(chatEn.stream().filter(Case::actionable).map(Case::category).distinct().count())
                .as("every category has English cases").isEqualTo(categories.size());
    }

    @Test
    void shouldReachTheFloorsOnCommunityChatAndNeutralLongText() throws Exception {
        List<Case> chat = new ArrayList<>(load(CHAT_ZH));
        chat.addAll(load(CHAT_EN));
        List<Case> neutral = new ArrayList<>(load(LONG_ZH));
        neutral.addAll(load(LONG_EN));
        List<Case> all = new ArrayList<>(chat);
        all.addAll(neutral);

        Map<String, Outcome> out = run(all, true);
        List<Outcome> chatOut = chat.stream().map(c -> out.get(c.id())).toList();
        List<Outcome> longOut = neutral.stream().map(c -> out.get(c.id())).toList();

        Prf overall = Prf.of(chatOut);
        Prf zh = Prf.of(chatOut.stream().filter(o -> o.c().lang().equals("zh")).toList());
        Prf en = Prf.of(chatOut.stream().filter(o -> o.c().lang().equals("en")).toList());
        List<Outcome> tp = chatOut.stream().filter(o -> o.alerted() && o.c().actionable()).toList();
        long categoryRight = tp.stream().filter(o -> o.alertCategories().contains(o.c().category())).count();
        long categoryOnly = tp.stream().filter(o -> o.alertCategories().equals(List.of(o.c().category()))).count();
        double categoryAccuracy = tp.isEmpty() ? 0 : (double) categoryRight / tp.size();
        double neutralShare = share(longOut, Outcome::alerted);

        // The same messages without the optional lang field: events need not carry it.
        Map<String, Outcome> noHint = run(all, false);
        Prf overallNoHint = Prf.of(chat.stream().map(c -> noHint.get(c.id())).toList());
        double neutralShareNoHint = share(neutral.stream().map(c -> noHint.get(c.id())).toList(), Outcome::alerted);

        StringBuilder r = new StringBuilder();
        r.append("\n==== NEGATIVE_MESSAGE on the evaluation sets (src/test/resources/eval) ====\n");
        r.append(String.format(Locale.ROOT, "config: alerts.negative-message.max-score=%s, sentiment.model='%s'%n",
                PulseConfig.defaults().get(PulseConfig.NEG_MESSAGE_SCORE), PulseConfig.defaults().get(PulseConfig.SENTIMENT_MODEL)));
        r.append(String.format(Locale.ROOT, "community chat: %d messages (%d actionable); neutral long: %d posts%n%n",
                chat.size(), chat.stream().filter(Case::actionable).count(), neutral.size()));
        r.append(String.format(Locale.ROOT, "%-28s %8s %8s %8s%n", "", "measured", "floor", "goal"));
        row(r, "precision", overall.precision(), FLOOR_PRECISION, GOAL_PRECISION);
        row(r, "recall", overall.recall(), FLOOR_RECALL, GOAL_RECALL);
        row(r, "F1", overall.f1(), FLOOR_F1, Double.NaN);
        row(r, "precision zh", zh.precision(), FLOOR_PRECISION_ZH, GOAL_PRECISION);
        row(r, "recall zh", zh.recall(), FLOOR_RECALL_ZH, GOAL_RECALL);
        row(r, "F1 zh", zh.f1(), Double.NaN, Double.NaN);
        row(r, "precision en", en.precision(), FLOOR_PRECISION_EN, GOAL_PRECISION);
        row(r, "recall en", en.recall(), FLOOR_RECALL_EN, GOAL_RECALL);
        row(r, "F1 en", en.f1(), Double.NaN, Double.NaN);
        row(r, "category among TP", categoryAccuracy, FLOOR_CATEGORY_ACCURACY, Double.NaN);
        r.append(String.format(Locale.ROOT, "%-28s %8.3f %8s %8s   (ceiling / goal: at most)%n", "neutral long alert share",
                neutralShare, fmt(CEILING_NEUTRAL_LONG_ALERT_SHARE), fmt(GOAL_NEUTRAL_LONG_ALERT_SHARE)));
        r.append(String.format(Locale.ROOT, "%nconfusion: tp=%d fp=%d fn=%d tn=%d; zh tp=%d fp=%d fn=%d; en tp=%d fp=%d fn=%d%n",
                overall.tp, overall.fp, overall.fn, overall.tn, zh.tp, zh.fp, zh.fn, en.tp, en.fp, en.fn));
        r.append(String.format(Locale.ROOT, "category: expected among the alert's categories %d/%d, the only one %d/%d%n",
                categoryRight, tp.size(), categoryOnly, tp.size()));
        r.append(String.format(Locale.ROOT, "neutral long alert share: zh %.3f, en %.3f (%d of %d alert)%n",
                share(longOut.stream().filter(o -> o.c().lang().equals("zh")).toList(), Outcome::alerted),
                share(longOut.stream().filter(o -> o.c().lang().equals("en")).toList(), Outcome::alerted),
                longOut.stream().filter(Outcome::alerted).count(), longOut.size()));
        r.append(String.format(Locale.ROOT, "without the lang field: precision %.3f, recall %.3f, F1 %.3f, neutral long share %.3f%n",
                overallNoHint.precision(), overallNoHint.recall(), overallNoHint.f1(), neutralShareNoHint));

        r.append("\nalert rate by label / phenomenon (zh, en):\n");
        Map<String, List<Outcome>> byPhenomenon = new TreeMap<>();
        for (Outcome o : chatOut) byPhenomenon.computeIfAbsent((o.c().actionable() ? "actionable " : "not        ") + o.c().phenomenon(), k -> new ArrayList<>()).add(o);
        byPhenomenon.forEach((k, l) -> r.append(String.format(Locale.ROOT, "  %-40s %s  %s%n", k,
                rate(l, "zh"), rate(l, "en"))));
        r.append("\nrecall and category accuracy by expected category:\n");
        Map<String, List<Outcome>> byCategory = new TreeMap<>();
        for (Outcome o : chatOut) if (o.c().actionable()) byCategory.computeIfAbsent(o.c().category(), k -> new ArrayList<>()).add(o);
        byCategory.forEach((k, l) -> {
            long hit = l.stream().filter(Outcome::alerted).count();
            long right = l.stream().filter(o -> o.alerted() && o.alertCategories().contains(k)).count();
            r.append(String.format(Locale.ROOT, "  %-12s recall %3d/%-3d  category right %3d/%-3d%n", k, hit, l.size(), right, hit));
        });

        List<Outcome> fps = new ArrayList<>(chatOut.stream().filter(o -> o.alerted() && !o.c().actionable()).toList());
        fps.addAll(longOut.stream().filter(Outcome::alerted).toList());
        fps.sort(Comparator.comparingDouble(Outcome::decisionScore).thenComparing(o -> o.c().id()));
        r.append(String.format(Locale.ROOT, "%nworst false positives (most negative first), %d of %d:%n", Math.min(WORST_SHOWN, fps.size()), fps.size()));
        fps.stream().limit(WORST_SHOWN).forEach(o -> r.append(line(o)));
        List<Outcome> fns = new ArrayList<>(chatOut.stream().filter(o -> !o.alerted() && o.c().actionable()).toList());
        fns.sort(Comparator.comparingDouble((Outcome o) -> o.scored().getScore()).reversed().thenComparing(o -> o.c().id()));
        r.append(String.format(Locale.ROOT, "%nworst false negatives (least negative first), %d of %d:%n", Math.min(WORST_SHOWN, fns.size()), fns.size()));
        fns.stream().limit(WORST_SHOWN).forEach(o -> r.append(line(o)));
        List<Outcome> wrongCategory = tp.stream().filter(o -> !o.alertCategories().contains(o.c().category())).toList();
        r.append(String.format(Locale.ROOT, "%nalerts with the wrong category, %d of %d:%n", Math.min(WORST_SHOWN, wrongCategory.size()), wrongCategory.size()));
        wrongCategory.stream().limit(WORST_SHOWN).forEach(o -> r.append(line(o)));
        System.out.println(r);

        assertThat(overall.precision()).as("precision (floor)").isGreaterThanOrEqualTo(FLOOR_PRECISION);
        assertThat(overall.recall()).as("recall (floor)").isGreaterThanOrEqualTo(FLOOR_RECALL);
        assertThat(overall.f1()).as("F1 (floor)").isGreaterThanOrEqualTo(FLOOR_F1);
        assertThat(zh.precision()).as("precision zh (floor)").isGreaterThanOrEqualTo(FLOOR_PRECISION_ZH);
        assertThat(zh.recall()).as("recall zh (floor)").isGreaterThanOrEqualTo(FLOOR_RECALL_ZH);
        assertThat(en.precision()).as("precision en (floor)").isGreaterThanOrEqualTo(FLOOR_PRECISION_EN);
        assertThat(en.recall()).as("recall en (floor)").isGreaterThanOrEqualTo(FLOOR_RECALL_EN);
        assertThat(categoryAccuracy).as("category accuracy among true positives (floor)").isGreaterThanOrEqualTo(FLOOR_CATEGORY_ACCURACY);
        assertThat(neutralShare).as("share of neutral long posts that alert (ceiling)").isLessThanOrEqualTo(CEILING_NEUTRAL_LONG_ALERT_SHARE);
    }

    /**
     * Runs the cases through the job's scoring and alert operators with the default configuration.
     * Each case is its own community and member, one second apart, so every qualifying message gets
     * its own single-message alert.
     */
    static Map<String, Outcome> run(List<Case> cases, boolean withLang) throws Exception {
        PulseConfig cfg = PulseConfig.defaults();
        Map<String, Case> byId = new LinkedHashMap<>();
        for (Case c : cases) byId.put(c.id(), c);
        List<ScoredMessage> scored = new ArrayList<>();
        try (OneInputStreamOperatorTestHarness<PulseEvent, PulseEvent> sentiment =
                     ProcessFunctionTestHarnesses.forProcessFunction(new SentimentFunction(cfg.get(PulseConfig.SENTIMENT_MODEL)));
             OneInputStreamOperatorTestHarness<PulseEvent, PulseEvent> split =
                     ProcessFunctionTestHarnesses.forProcessFunction(new ScoredMessageSplit(SCORED))) {
            long ts = BASE_TS;
            for (Case c : cases) {
                PulseEvent e = PulseEvent.message(c.id(), c.id(), "member-" + c.id(), ts, EventKind.POST, c.text());
                if (withLang) e = e.withLang(c.lang());
                sentiment.processElement(e, ts);
                ts += 1000;
            }
            for (PulseEvent e : sentiment.extractOutputValues()) split.processElement(e, e.getTs());
            var q = split.getSideOutput(SCORED);
            if (q != null) q.forEach(rec -> scored.add(rec.getValue()));
        }
        assertThat(scored).as("every case is scored (none failed in the scorer)").hasSize(cases.size());

        Map<String, AlertRecord> alerts = new HashMap<>();
        try (KeyedOneInputStreamOperatorTestHarness<String, ScoredMessage, AlertRecord> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new NegativeMessageFunction(cfg.get(PulseConfig.NEG_MESSAGE_SCORE),
                        cfg.millis(PulseConfig.NEG_MESSAGE_INTERVAL), WallClock.fixed(0))),
                ScoredMessage::getCommunityId, Types.STRING)) {
            h.open();
            for (ScoredMessage m : scored) h.processElement(m, m.getTs());
            h.processWatermark(Long.MAX_VALUE);
            for (AlertRecord a : h.extractOutputValues()) {
                assertThat(a.getType()).isEqualTo(AlertType.NEGATIVE_MESSAGE);
                assertThat(evidence(a).path("kind").asText()).as("one community per case: no digests").isEqualTo("message");
                assertThat(alerts.put(a.getCommunityId(), a)).as("one alert per case").isNull();
            }
        }
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (ScoredMessage m : scored) out.put(m.getEventId(), new Outcome(byId.get(m.getEventId()), m, alerts.get(m.getEventId())));
        assertThat(out.keySet()).containsExactlyInAnyOrderElementsOf(byId.keySet());
        return out;
    }

    /** Precision / recall / F1 of "alerted" against "actionable". */
    record Prf(long tp, long fp, long fn, long tn) {
        static Prf of(List<Outcome> l) {
            long tp = 0, fp = 0, fn = 0, tn = 0;
            for (Outcome o : l) {
                if (o.alerted() && o.c().actionable()) tp++;
                else if (o.alerted()) fp++;
                else if (o.c().actionable()) fn++;
                else tn++;
            }
            return new Prf(tp, fp, fn, tn);
        }

        double precision() {
            return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        }

        double f1() {
            double p = precision(), r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    static List<Case> load(String resource) {
        List<Case> l = new ArrayList<>();
        try (InputStream in = NegativeMessageEvalTest.class.getResourceAsStream(resource)) {
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
                        j.hasNonNull("category") ? j.get("category").asText() : null, phenomenon, resource));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return l;
    }

    static JsonNode evidence(AlertRecord a) {
        try {
            return OM.readTree(a.getEvidence());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double share(List<Outcome> l, Predicate<Outcome> p) {
        return l.isEmpty() ? 0 : (double) l.stream().filter(p).count() / l.size();
    }

    private static String rate(List<Outcome> l, String lang) {
        List<Outcome> s = l.stream().filter(o -> o.c().lang().equals(lang)).toList();
        return String.format(Locale.ROOT, "%3d/%-3d", s.stream().filter(Outcome::alerted).count(), s.size());
    }

    private static void row(StringBuilder r, String name, double measured, double floor, double goal) {
        r.append(String.format(Locale.ROOT, "%-28s %8.3f %8s %8s%n", name, measured, fmt(floor), fmt(goal)));
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.3f", d);
    }

    private static String line(Outcome o) {
        String text = o.c().text().replace('\n', ' ');
        int max = 110;
        if (text.codePointCount(0, text.length()) > max) text = text.substring(0, text.offsetByCodePoints(0, max)) + "…";
        return String.format(Locale.ROOT, "  %-15s %-10s score %6.2f decision %6.2f %-22s expected %-11s %s | %s%n", o.c().id(),
                o.scored().getLabel(), o.scored().getScore(), o.decisionScore(),
                o.alerted() ? "alert " + o.alertCategories() : "cats " + o.scored().getCategories(),
                o.c().actionable() ? o.c().category() : "not", o.c().phenomenon(), text);
    }
}
