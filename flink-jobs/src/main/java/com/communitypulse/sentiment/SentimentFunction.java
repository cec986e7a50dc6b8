package com.communitypulse.sentiment;

import com.communitypulse.events.NegativeEvidence;
import com.communitypulse.events.PulseEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Scores every post, comment and reply and removes its text, right after the source, before the
 * first shuffle: chat text never crosses a network edge, so it reaches no keyed state and no
 * checkpoint (unaligned checkpoints persist records in flight, so text on a network edge would
 * land in checkpoint files under back-pressure).
 *
 * <p><b>Output</b>: the same events in the same order; speaking messages get their label
 * ({@link PulseEvent#getSentiment()}) and score and, when negative, the {@link NegativeEvidence}
 * the alert functions need (categories in complaint sense and the clause that scored, from
 * {@link NegativeRules}; terms, a {@link MaskedExcerpt}); every event leaves with
 * {@code text == null}. Duplicates are scored too (de-duplication is keyed and comes after the
 * shuffle); {@link ScoredMessageSplit} hands each unique scored message to the alert functions.
 *
 * <p><b>Time and state</b>: none; the scorer is built once per task in {@link #open}. A scorer
 * failure leaves the message unscored (counted in {@code sentimentErrors}) rather than failing the job.
 */
public class SentimentFunction extends ProcessFunction<PulseEvent, PulseEvent> {
    private static final long serialVersionUID = 1L;

    private final String modelPath;
    private transient SentimentScorer scorer;
    private transient NegativeRules rules;
    private transient Counter scored;
    private transient Counter negative;
    private transient Counter errors;

    /** @param modelPath null/blank for the bundled scorer, {@code lexicon}, or a trained model file (see {@link SentimentScorers#create}) */
    public SentimentFunction(String modelPath) {
        this.modelPath = modelPath;
    }

    @Override
    public void open(OpenContext ctx) {
        scorer = SentimentScorers.create(modelPath);
        rules = NegativeRules.bundled();
        scored = getRuntimeContext().getMetricGroup().counter("sentimentScored");
        negative = getRuntimeContext().getMetricGroup().counter("sentimentNegative");
        errors = getRuntimeContext().getMetricGroup().counter("sentimentErrors");
    }

    @Override
    public void processElement(PulseEvent in, Context ctx, Collector<PulseEvent> out) {
        String text = in.getText();
        // A copy only when there is text to drop: the caller's event stays as it was.
        PulseEvent e = text == null ? in : in.copy();
        e.setText(null);
        if (e.getKind() == null || !e.getKind().isSpeaking()) {
            out.collect(e);
            return;
        }
        SentimentResult r;
        try {
            r = scorer.score(text, e.getLang());
        } catch (RuntimeException ex) {
            errors.inc();
            out.collect(e);
            return;
        }
        e.setSentiment(toByte(r.label()));
        e.setScore(r.score());
        scored.inc();
        if (r.label() == SentimentLabel.NEGATIVE) {
            negative.inc();
            // Categories in complaint sense only (the rules' finding), so a delivery noun in a neutral
            // clause or a discussion about scams reaches neither alert function as a category.
            NegativeFinding f = rules.assess(text);
            List<String> cats = new ArrayList<>(4);
            if (f != null) {
                for (ModerationCategory m : ModerationCategory.values()) {
                    if (f.categories().contains(m)) cats.add(m.wireName());
                }
            }
            String excerpt = MaskedExcerpt.of(text, r.matchedTerms());
            e.setEvidence(f == null ? new NegativeEvidence(cats, r.matchedTerms(), excerpt)
                    : new NegativeEvidence(cats, r.matchedTerms(), excerpt, f.clause(), f.score(), f.reasons(), f.critical()));
        }
        out.collect(e);
    }

    static byte toByte(SentimentLabel l) {
        switch (l) {
            case NEGATIVE: return -1;
            case POSITIVE: return 1;
            default: return 0;
        }
    }

    static SentimentLabel label(byte sentiment) {
        return sentiment < 0 ? SentimentLabel.NEGATIVE : sentiment > 0 ? SentimentLabel.POSITIVE : SentimentLabel.NEUTRAL;
    }
}
