package com.communitypulse.sentiment;

import com.communitypulse.events.PulseEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Scores every post, comment and reply (SPEC §7) and removes its text.
 *
 * <p><b>Input</b>: de-duplicated events, partitioned by user. <b>Output</b>: the same events in the
 * same order and partitioning (a forward, chained operator, so the stream can still be
 * reinterpreted as user-keyed); speaking messages get {@link PulseEvent#getSentiment()} set and
 * every event leaves with {@code text == null}, so chat text never reaches keyed state, checkpoints
 * or the metric topic. Other events pass through unchanged. <b>Side output</b>: a
 * {@link ScoredMessage} per scored message, for the community-keyed alert functions; only negative
 * ones carry categories, terms and a {@link MaskedExcerpt}.
 *
 * <p><b>Time and state</b>: none; the scorer is built once per task in {@link #open}. A scorer
 * failure leaves the message unscored (counted in {@code sentimentErrors}) rather than failing the job.
 */
public class SentimentFunction extends ProcessFunction<PulseEvent, PulseEvent> {
    private static final long serialVersionUID = 1L;

    private final String modelPath;
    private final OutputTag<ScoredMessage> scoredTag;
    private transient SentimentScorer scorer;
    private transient Counter scored;
    private transient Counter negative;
    private transient Counter errors;

    /**
     * @param modelPath trained model file, or null/blank for the lexicon scorer (see {@link SentimentScorers#create})
     * @param scoredTag side output for the alert functions
     */
    public SentimentFunction(String modelPath, OutputTag<ScoredMessage> scoredTag) {
        this.modelPath = modelPath;
        this.scoredTag = scoredTag;
    }

    @Override
    public void open(OpenContext ctx) {
        scorer = SentimentScorers.create(modelPath);
        scored = getRuntimeContext().getMetricGroup().counter("sentimentScored");
        negative = getRuntimeContext().getMetricGroup().counter("sentimentNegative");
        errors = getRuntimeContext().getMetricGroup().counter("sentimentErrors");
    }

    @Override
    public void processElement(PulseEvent e, Context ctx, Collector<PulseEvent> out) {
        if (e.getKind() == null || !e.getKind().isSpeaking()) {
            if (e.getText() != null) {
                PulseEvent c = e.copy();
                c.setText(null);
                out.collect(c);
            } else {
                out.collect(e);
            }
            return;
        }
        PulseEvent c = e.copy();
        String text = c.getText();
        c.setText(null);
        SentimentResult r;
        try {
            r = scorer.score(text, c.getLang());
        } catch (RuntimeException ex) {
            errors.inc();
            out.collect(c);
            return;
        }
        c.setSentiment(toByte(r.label()));
        scored.inc();
        out.collect(c);

        List<String> cats = new ArrayList<>(r.categories().size());
        List<String> terms = List.of();
        String excerpt = null;
        if (r.label() == SentimentLabel.NEGATIVE) {
            negative.inc();
            for (ModerationCategory m : ModerationCategory.values()) {
                if (r.categories().contains(m)) cats.add(m.wireName());
            }
            terms = r.matchedTerms();
            excerpt = MaskedExcerpt.of(text, terms);
        }
        ctx.output(scoredTag, new ScoredMessage(c.getEventId(), c.getCommunityId(), c.getUserId(), c.getTs(), c.getRole(),
                r.score(), r.label(), cats, terms, excerpt));
    }

    static byte toByte(SentimentLabel l) {
        switch (l) {
            case NEGATIVE: return -1;
            case POSITIVE: return 1;
            default: return 0;
        }
    }
}
