package com.communitypulse.sentiment;

import java.nio.file.Path;

/**
 * Builds the configured {@link SentimentScorer}. Call once per task (in {@code open()}): the lexicon is
 * shared per JVM, a model file is read once per call.
 */
public final class SentimentScorers {

    private SentimentScorers() {}

    /**
     * @param modelPath {@code null} or blank for the lexicon scorer (no training data needed);
     *     otherwise a model file written by {@code pulse sentiment train}
     * @throws IllegalArgumentException one line naming the fix, for a missing or corrupt model file
     */
    public static SentimentScorer create(String modelPath) {
        LexiconScorer lexicon = new LexiconScorer(Lexicon.bundled());
        if (modelPath == null || modelPath.isBlank()) {
            return lexicon;
        }
        return new TrainedScorer(LogisticModel.read(Path.of(modelPath.strip())), lexicon);
    }
}
