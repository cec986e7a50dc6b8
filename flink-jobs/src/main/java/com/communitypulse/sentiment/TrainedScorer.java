package com.communitypulse.sentiment;

import java.util.List;

/**
 * Logistic regression over hashed character/word n-grams plus the lexicon scorer's findings, trained by
 * {@link SentimentTrainer}. Score is {@code 2p - 1} for p = P(positive); within the model's neutral
 * band the label is neutral. Categories and evidence come from the lexicon pass and, as for the
 * lexicon scorer, categories are reported only for negative results. Immutable and thread-safe.
 */
final class TrainedScorer implements SentimentScorer {

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
        double p = probability(model, t, a);
        double score = Math.max(-1.0, Math.min(1.0, 2 * p - 1));
        SentimentLabel label = score <= -model.neutralBand && p < 0.5 ? SentimentLabel.NEGATIVE
                : score >= model.neutralBand && p > 0.5 ? SentimentLabel.POSITIVE : SentimentLabel.NEUTRAL;
        double confidence = Math.max(p, 1 - p);
        return SentimentResult.of(score, label, confidence, a.categories(label),
                a.matched == null ? List.of() : a.matched);
    }

    static double probability(LogisticModel model, char[] t, LexiconScorer.Analysis a) {
        int[] feats = FeatureHasher.features(t, model.hashBits);
        float[] dense = new float[FeatureHasher.DENSE];
        FeatureHasher.denseFeatures(a, dense);
        return sigmoid(model.margin(feats, dense));
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }
}
