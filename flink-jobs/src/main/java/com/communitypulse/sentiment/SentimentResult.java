package com.communitypulse.sentiment;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable outcome of scoring one message.
 *
 * <p>{@link #categories()} is non-empty only when {@link #label()} is {@link SentimentLabel#NEGATIVE}:
 * a moderation category is a reason a message is negative, and "how do I get a refund?" is not yet a
 * complaint. {@link #matchedTerms()} lists the lexicon terms (sentiment and category) that fired, in
 * order of first appearance, so moderators can see why.
 */
public final class SentimentResult {

    private static final SentimentResult EMPTY =
            new SentimentResult(0.0, SentimentLabel.NEUTRAL, 1.0, Set.of(), List.of());

    private final double score;
    private final SentimentLabel label;
    private final double confidence;
    private final Set<ModerationCategory> categories;
    private final List<String> matchedTerms;

    private SentimentResult(
            double score,
            SentimentLabel label,
            double confidence,
            Set<ModerationCategory> categories,
            List<String> matchedTerms) {
        this.score = score;
        this.label = label;
        this.confidence = confidence;
        this.categories = categories;
        this.matchedTerms = matchedTerms;
    }

    /**
     * Creates a result, copying the collections.
     *
     * @throws IllegalArgumentException when score is outside [-1, 1], confidence outside [0, 1], or
     *     categories are given for a label other than negative
     */
    public static SentimentResult of(
            double score,
            SentimentLabel label,
            double confidence,
            Set<ModerationCategory> categories,
            List<String> matchedTerms) {
        Objects.requireNonNull(label, "label");
        if (!(score >= -1.0 && score <= 1.0)) {
            throw new IllegalArgumentException("score must be in [-1, 1] but was " + score);
        }
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be in [0, 1] but was " + confidence);
        }
        if (!categories.isEmpty() && label != SentimentLabel.NEGATIVE) {
            throw new IllegalArgumentException("categories are only reported for negative results");
        }
        return new SentimentResult(score, label, confidence, Set.copyOf(categories), List.copyOf(matchedTerms));
    }

    /** The result for empty or blank text: neutral, score 0, nothing matched. */
    public static SentimentResult empty() {
        return EMPTY;
    }

    /** Polarity in [-1, 1]; negative values mean negative sentiment. */
    public double score() {
        return score;
    }

    public SentimentLabel label() {
        return label;
    }

    /** How sure the scorer is of {@link #label()}, in [0, 1] (heuristic for the lexicon scorer). */
    public double confidence() {
        return confidence;
    }

    /** Matched moderation categories; empty unless the label is negative. Unmodifiable. */
    public Set<ModerationCategory> categories() {
        return categories;
    }

    /** Lexicon terms that matched, as evidence, in order of first appearance. Unmodifiable. */
    public List<String> matchedTerms() {
        return matchedTerms;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SentimentResult)) {
            return false;
        }
        SentimentResult that = (SentimentResult) o;
        return Double.compare(score, that.score) == 0
                && Double.compare(confidence, that.confidence) == 0
                && label == that.label
                && categories.equals(that.categories)
                && matchedTerms.equals(that.matchedTerms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(score, label, confidence, categories, matchedTerms);
    }

    @Override
    public String toString() {
        return "SentimentResult{score=" + score + ", label=" + label.wireName() + ", confidence=" + confidence
                + ", categories=" + categories + ", matchedTerms=" + matchedTerms + '}';
    }
}
