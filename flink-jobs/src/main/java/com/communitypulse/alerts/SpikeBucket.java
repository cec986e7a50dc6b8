package com.communitypulse.alerts;

import com.communitypulse.sentiment.ScoredMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The negative member messages of one minute of a community in {@link NegativeSpikeFunction}: what
 * the distinct-author condition and the evidence need (authors, terms, categories, the most negative
 * message ids). Counts live in {@link SpikeCounts}, so non-negative messages never touch a bucket.
 * Also used to sum the buckets of a window.
 */
public class SpikeBucket {
    private Map<String, Integer> negativeAuthors = new HashMap<>();
    private Map<String, Integer> terms = new HashMap<>();
    private Map<String, Integer> categories = new HashMap<>();
    private List<MessageRef> worst = new ArrayList<>();

    public SpikeBucket() {}

    /** Adds a negative message. */
    void add(ScoredMessage m) {
        negativeAuthors.merge(m.getUserId(), 1, Integer::sum);
        for (String t : m.getTerms()) terms.merge(t, 1, Integer::sum);
        for (String c : m.getCategories()) categories.merge(c, 1, Integer::sum);
        MessageRef.keepMostNegative(worst, new MessageRef(m.getEventId(), m.getUserId(), m.getTs(), m.getScore()), NegativeDigest.TOP_MESSAGES);
    }

    void merge(SpikeBucket b) {
        b.negativeAuthors.forEach((k, v) -> negativeAuthors.merge(k, v, Integer::sum));
        b.terms.forEach((k, v) -> terms.merge(k, v, Integer::sum));
        b.categories.forEach((k, v) -> categories.merge(k, v, Integer::sum));
        for (MessageRef r : b.worst) MessageRef.keepMostNegative(worst, r, NegativeDigest.TOP_MESSAGES);
    }

    public Map<String, Integer> getNegativeAuthors() { return negativeAuthors; }
    public void setNegativeAuthors(Map<String, Integer> negativeAuthors) { this.negativeAuthors = negativeAuthors; }
    public Map<String, Integer> getTerms() { return terms; }
    public void setTerms(Map<String, Integer> terms) { this.terms = terms; }
    public Map<String, Integer> getCategories() { return categories; }
    public void setCategories(Map<String, Integer> categories) { this.categories = categories; }
    public List<MessageRef> getWorst() { return worst; }
    public void setWorst(List<MessageRef> worst) { this.worst = worst; }
}
