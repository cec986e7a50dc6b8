package com.communitypulse.sentiment;

import java.util.List;

/**
 * The lexicon and a learned model combined: logistic regression whose inputs are the lexicon
 * scorer's findings (its score, label, counts of positive, negative and negated terms, category hit,
 * "!"/"?" runs; per language) and hashed character/word n-grams, trained by {@link SentimentTrainer}.
 * Score is {@code 2p - 1} for p = P(positive), so the sign and range convention of the lexicon
 * scorer holds (negative = negative, in [-1, 1]); within the model's neutral band the label is
 * neutral. Categories and evidence come from the lexicon pass and, as for the lexicon scorer, are
 * reported only for negative results. This is the default scorer ({@link SentimentScorers#create}
 * with no model path uses the bundled model). Immutable and thread-safe; per message it allocates the
 * normalised text and the lexicon's analysis, the n-gram indices go to a per-thread scratch array.
 */
final class TrainedScorer implements SentimentScorer {

    static final double NO_EVIDENCE_BAND = 0.5;
    private static final int MAX_KEPT_SCRATCH = 1 << 16;
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[1024]);

    private final LogisticModel model;
    private final LexiconScorer lexicon;

    TrainedScorer(LogisticModel model, LexiconScorer lexicon) {
        this.model = model;
        this.lexicon = lexicon;
    }

    @Override
    public SentimentResult score(String text, String langHint) {
        if (text == null || text.isBlank()) {
            return SentimentResult.empty();
        }
        char[] t = TextNormalizer.normalize(text);
        LexiconScorer.Analysis a = lexicon.analyze(t, true);
        float[] dense = new float[FeatureHasher.DENSE];
        FeatureHasher.denseFeatures(t, a, dense);
        double p = probability(model, t, dense);
        double score = Math.max(-1.0, Math.min(1.0, 2 * p - 1));
        SentimentLabel label = label(score, model, dense);
        double confidence = Math.max(p, 1 - p);
        return SentimentResult.of(score, label, confidence, a.categories(label),
                a.matched == null ? List.of() : a.matched);
    }

    /**
     * Negative or positive outside the model's neutral band; when the lexicon found nothing at all
     * (no sentiment or category term, score 0) outside {@value #NO_EVIDENCE_BAND}: the dev sets
     * have no neutral class, so on an opinion-free chat line ("明天几点开团？") the n-grams alone lean
     * one way without meaning it.
     */
    static SentimentLabel label(double score, LogisticModel model, float[] dense) {
        double band = FeatureHasher.noLexiconEvidence(dense) ? Math.max(model.neutralBand, NO_EVIDENCE_BAND) : model.neutralBand;
        return score <= -band ? SentimentLabel.NEGATIVE : score >= band ? SentimentLabel.POSITIVE : SentimentLabel.NEUTRAL;
    }

    static double probability(LogisticModel model, char[] t, float[] dense) {
        int need = FeatureHasher.bound(t.length);
        int[] feats = SCRATCH.get();
        if (feats.length < need) {
            feats = new int[need];
            // keep the grown array for the next message unless this one is exceptionally long
            if (need <= MAX_KEPT_SCRATCH) {
                SCRATCH.set(feats);
            }
        }
        int n = FeatureHasher.hash(t, model.hashBits, feats);
        return SentimentTrainer.sigmoid(model.margin(feats, n, dense));
    }
}
