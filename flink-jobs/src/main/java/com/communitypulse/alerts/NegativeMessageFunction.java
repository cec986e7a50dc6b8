package com.communitypulse.alerts;

import org.apache.flink.api.common.functions.FilterFunction;

import com.communitypulse.sentiment.NegativeFinding;
import com.communitypulse.sentiment.NegativeRules;
import com.communitypulse.sentiment.ScoredMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@code NEGATIVE_MESSAGE} alerts: a member's message labelled negative whose most negative complaint
 * clause scores at most {@code maxScore} (default −0.6) in at least one moderation category in complaint
 * sense (docs/SEMANTICS.md, "How negative-message alerts decide"; {@link NegativeRules}). Staff and bot messages
 * never alert. The evidence says why in words: the masked clause, its score, the category term in
 * its context and the severity's reason.
 *
 * <p><b>Input</b>: {@link ScoredMessage}s keyed by community. <b>Output</b>: {@link AlertRecord}s.
 *
 * <p><b>Rate limit</b>: at most one alert per community per {@code interval} of event time. The
 * first hit of a quiet community alerts at once (with the message, its terms and masked excerpt) and
 * opens an interval {@code [ts, ts + interval)}; later hits in the interval are folded into a digest.
 * When the interval closes, a non-empty digest becomes one follow-up alert (count, distinct authors,
 * category counts, top terms, ids of the most negative messages) and opens the next interval, so a
 * sustained flood yields one alert per interval and every hit is counted in exactly one alert. An
 * interval that closes empty ends the chain; the next hit alerts at once again.
 *
 * <p><b>Time semantics</b>: hits wait in state until the watermark passes them and are then taken in
 * event-time order (ties by event id), so the alerts and their ids do not depend on how records from
 * parallel upstream tasks interleave. A hit later than the watermark joins the open interval (or opens
 * one) at the next watermark.
 *
 * <p><b>State</b>: {@code pending} (hits not yet passed by the watermark, by event time: the timer
 * of time {@code t} reads and removes exactly the entry {@code t}, one point lookup, where a map by
 * event id had to be scanned with a RocksDB iterator at every timer — 3.6 % of the job's CPU,
 * docs/BENCHMARKS.md) and {@code digest} (the open interval; removed by the timer at its end when
 * empty). A community without hits for one interval holds no state and no timers.
 */
public class NegativeMessageFunction extends KeyedProcessFunction<String, ScoredMessage, AlertRecord> {
    private static final long serialVersionUID = 1L;
    /** Categories with legal or safety risk: moderators should look now. */
    static final Set<String> CRITICAL_CATEGORIES = Set.of("fraud", "counterfeit", "abuse");
    static final int TOP_TERMS = 5;

    private final double maxScore;
    /** Per-community {@code negative-message.max-score} from {@code thresholds.overrides}. */
    private final HashMap<String, Double> maxScoreByCommunity;
    private final long intervalMs;
    private final WallClock clock;
    private transient MapState<Long, List<ScoredMessage>> pending;
    private transient ValueState<NegativeDigest> digest;
    private transient Counter hits;

    public NegativeMessageFunction(double maxScore, long intervalMs, WallClock clock) {
        this(maxScore, Map.of(), intervalMs, clock);
    }

    public NegativeMessageFunction(double maxScore, Map<String, Double> maxScoreByCommunity, long intervalMs, WallClock clock) {
        this.maxScoreByCommunity = new HashMap<>(maxScoreByCommunity);
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.maxScore = maxScore;
        this.intervalMs = intervalMs;
        this.clock = clock;
    }

    @Override
    public void open(OpenContext ctx) {
        // Layout 0.3: by event time (0.2 and earlier: "pending-negative-messages" by event id).
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-negative-by-time", Types.LONG,
                Types.LIST(TypeInformation.of(ScoredMessage.class))));
        digest = getRuntimeContext().getState(new ValueStateDescriptor<>("negative-message-digest", TypeInformation.of(NegativeDigest.class)));
        hits = getRuntimeContext().getMetricGroup().counter("negativeMessageHits");
    }

    /**
     * Does this message qualify for a NEGATIVE_MESSAGE alert? With the rules' finding, its most negative
     * complaint clause must score at most max-score (a long post is not summed up); messages scored
     * before the rules existed (restored state) by their whole-message score.
     */
    public boolean qualifies(ScoredMessage m) {
        double score = m.hasFinding() ? m.getClauseScore() : m.getScore();
        return m.isNegative() && !m.isStaffOrBot() && score <= maxScore(m.getCommunityId()) && !m.getCategories().isEmpty();
    }

    private double maxScore(String community) {
        return maxScoreByCommunity.getOrDefault(community, maxScore);
    }

    /**
     * {@link #qualifies} as a filter chained before the community shuffle: only the few messages
     * that can alert cross the network edge to this function, not every scored message.
     */
    public FilterFunction<ScoredMessage> candidates() {
        return new Candidates(this);
    }

    static final class Candidates implements FilterFunction<ScoredMessage> {
        private static final long serialVersionUID = 1L;
        private final NegativeMessageFunction settings;

        Candidates(NegativeMessageFunction settings) {
            this.settings = settings;
        }

        @Override
        public boolean filter(ScoredMessage m) {
            return settings.qualifies(m);
        }
    }

    @Override
    public void processElement(ScoredMessage m, Context ctx, Collector<AlertRecord> out) throws Exception {
        if (!qualifies(m)) {
            return;
        }
        hits.inc();
        List<ScoredMessage> at = pending.get(m.getTs());
        if (at == null) {
            at = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(m.getTs());
        }
        at.add(m);
        pending.put(m.getTs(), at);
    }

    @Override
    public void onTimer(long t, OnTimerContext ctx, Collector<AlertRecord> out) throws Exception {
        // Each pending time has its own timer (registered with its first hit), so only time t is due.
        List<ScoredMessage> due = pending.get(t);
        if (due == null) {
            due = new ArrayList<>(0);
        } else {
            pending.remove(t);
        }
        due.sort(Comparator.comparingLong(ScoredMessage::getTs).thenComparing(ScoredMessage::getEventId));

        String community = ctx.getCurrentKey();
        NegativeDigest d = digest.value();
        for (ScoredMessage m : due) {
            while (d != null && m.getTs() >= d.getEnd()) {
                d = close(d, community, ctx, out);
            }
            if (d == null) {
                AlertRecord a = single(m);
                out.collect(a);
                d = new NegativeDigest(m.getTs(), m.getTs() + intervalMs, a.getAlertId());
                ctx.timerService().registerEventTimeTimer(d.getEnd());
            } else {
                d.add(m, severity(m));
            }
        }
        while (d != null && d.getEnd() <= t) {
            d = close(d, community, ctx, out);
        }
        if (d == null) {
            digest.clear();
        } else {
            digest.update(d);
        }
    }

    /** Emits the digest of a closed interval if it holds hits and returns the next interval, or null when the chain ends. */
    private NegativeDigest close(NegativeDigest d, String community, OnTimerContext ctx, Collector<AlertRecord> out) {
        if (d.getCount() == 0) {
            return null;
        }
        String id = AlertIds.of(AlertType.NEGATIVE_MESSAGE, community, null, d.getStart(), "digest");
        String evidence = Evidence.object(g -> {
            g.writeStringField("kind", "digest");
            g.writeNumberField("interval_start", d.getStart());
            g.writeNumberField("interval_end", d.getEnd());
            g.writeStringField("previous_alert_id", d.getPreviousAlertId());
            g.writeNumberField("count", d.getCount());
            g.writeNumberField("distinct_authors", d.getAuthors().size());
            Evidence.counts(g, "categories", d.getCategories());
            Evidence.topTerms(g, "top_terms", d.getTerms(), TOP_TERMS);
            Evidence.messages(g, "most_negative", d.getWorst());
            g.writeNumberField("max_score", maxScore(community));
            List<Map.Entry<String, Integer>> reasons = Evidence.top(d.getReasons(), TOP_TERMS);
            g.writeArrayFieldStart("top_reasons");
            for (Map.Entry<String, Integer> r : reasons) {
                g.writeStartObject();
                g.writeStringField("reason", r.getKey());
                g.writeNumberField("count", r.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            StringBuilder summary = new StringBuilder().append(d.getCount()).append(d.getCount() == 1 ? " more complaint" : " more complaints")
                    .append(" from ").append(d.getAuthors().size()).append(d.getAuthors().size() == 1 ? " member" : " members");
            List<Map.Entry<String, Integer>> cats = Evidence.top(d.getCategories(), Integer.MAX_VALUE);
            for (int i = 0; i < cats.size(); i++) {
                summary.append(i == 0 ? ": " : ", ").append(cats.get(i).getKey()).append(' ').append(cats.get(i).getValue());
            }
            if (!reasons.isEmpty()) summary.append(" (most often ").append(reasons.get(0).getKey()).append(')');
            g.writeStringField("summary", summary.toString());
        });
        out.collect(new AlertRecord(id, AlertType.NEGATIVE_MESSAGE, d.getSeverity(), community, null, d.getEnd(),
                clock.now(), null, evidence));
        NegativeDigest next = new NegativeDigest(d.getEnd(), d.getEnd() + intervalMs, id);
        ctx.timerService().registerEventTimeTimer(next.getEnd());
        return next;
    }

    private AlertRecord single(ScoredMessage m) {
        String id = AlertIds.of(AlertType.NEGATIVE_MESSAGE, m.getCommunityId(), m.getUserId(), m.getTs(), m.getEventId());
        String evidence = Evidence.object(g -> {
            g.writeStringField("kind", "message");
            g.writeStringField("event_id", m.getEventId());
            g.writeNumberField("score", Evidence.round(m.getScore()));
            g.writeArrayFieldStart("categories");
            for (String c : m.getCategories()) g.writeString(c);
            g.writeEndArray();
            g.writeArrayFieldStart("matched_terms");
            for (String t : m.getTerms()) g.writeString(t);
            g.writeEndArray();
            g.writeStringField("excerpt", m.getExcerpt() == null ? "" : m.getExcerpt());
            g.writeNumberField("max_score", maxScore(m.getCommunityId()));
            g.writeNumberField("rate_limit_ms", intervalMs);
            if (m.hasFinding()) {
                g.writeStringField("summary", NegativeFinding.summary(m.getClause(), m.getReasons()));
                g.writeStringField("clause", m.getClause());
                g.writeNumberField("clause_score", Evidence.round(m.getClauseScore()));
                g.writeArrayFieldStart("why");
                for (String r : m.getReasons()) g.writeString(r);
                g.writeEndArray();
            }
            g.writeStringField("severity_reason", severityReason(m));
        });
        return new AlertRecord(id, AlertType.NEGATIVE_MESSAGE, severity(m), m.getCommunityId(), m.getUserId(), m.getTs(),
                clock.now(), null, evidence);
    }

    /**
     * {@code critical}: act now, a fraud, counterfeit or abuse report whose clause scores at most
     * {@value NegativeRules#CRITICAL_SCORE}, or a health or safety term in the clause; {@code warning}:
     * every other complaint (delivery, refund, quality, service, complaint, and weaker fraud, counterfeit
     * or abuse evidence). Messages scored before the rules existed: critical by category alone.
     */
    static Severity severity(ScoredMessage m) {
        if (m.hasFinding()) return m.isCritical() ? Severity.CRITICAL : Severity.WARNING;
        for (String c : m.getCategories()) {
            if (CRITICAL_CATEGORIES.contains(c)) return Severity.CRITICAL;
        }
        return Severity.WARNING;
    }

    /** The severity in words, for the moderator. */
    static String severityReason(ScoredMessage m) {
        if (severity(m) == Severity.WARNING) {
            return "warning: " + String.join(", ", m.getCategories()) + " complaint; look when you can";
        }
        if (!m.hasFinding()) return "critical: " + String.join(", ", m.getCategories());
        for (String r : m.getReasons()) {
            if (r.startsWith("safety:")) return "critical: act now, health or safety (" + r.substring(8) + ")";
        }
        for (String r : m.getReasons()) {
            for (String c : CRITICAL_CATEGORIES) {
                if (r.startsWith(c + ":")) {
                    return "critical: act now, " + c + " reported with clause score " + Evidence.round(m.getClauseScore())
                            + " (at most " + NegativeRules.CRITICAL_SCORE + ")";
                }
            }
        }
        return "critical: act now";
    }
}
