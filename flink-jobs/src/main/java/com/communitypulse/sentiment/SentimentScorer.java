package com.communitypulse.sentiment;

/**
 * Scores one chat message. Implementations are immutable after construction, safe to share between
 * threads, and cheap per call; build one per task in {@code open()} via {@link SentimentScorers#create}.
 */
public interface SentimentScorer {

    /**
     * @param text the message; {@code null} or blank gives a neutral result
     * @param langHint {@code "zh"}, {@code "en"} or {@code null}. Advisory only: both scorers detect the
     *     script per character, so mixed zh/en messages work without a hint.
     */
    SentimentResult score(String text, String langHint);
}
