package com.communitypulse.alerts;

import com.communitypulse.sentiment.ScoredMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One minute of a community's scored member messages in {@link NegativeSpikeFunction}: counts plus
 * what the evidence needs (negative authors, terms, categories, the most negative message ids).
 * Also used to sum the buckets of a window.
 */
public class SpikeBucket {
    private int scored;
    private int negative;
    private Map<String, Integer> negativeAuthors = new HashMap<>();
    private Map<String, Integer> terms = new HashMap<>();
    private Map<String, Integer> categories = new HashMap<>();
    private List<MessageRef> worst = new ArrayList<>();

    public SpikeBucket() {}

    void add(ScoredMessage m) {
        scored++;
        if (m.isNegative()) {
            negative++;
            negativeAuthors.merge(m.getUserId(), 1, Integer::sum);
            for (String t : m.getTerms()) terms.merge(t, 1, Integer::sum);
            for (String c : m.getCategories()) categories.merge(c, 1, Integer::sum);
            MessageRef.keepMostNegative(worst, new MessageRef(m.getEventId(), m.getUserId(), m.getTs(), m.getScore()), NegativeDigest.TOP_MESSAGES);
        }
    }

    void merge(SpikeBucket b) {
        scored += b.scored;
        negative += b.negative;
        b.negativeAuthors.forEach((k, v) -> negativeAuthors.merge(k, v, Integer::sum));
        b.terms.forEach((k, v) -> terms.merge(k, v, Integer::sum));
        b.categories.forEach((k, v) -> categories.merge(k, v, Integer::sum));
        for (MessageRef r : b.worst) MessageRef.keepMostNegative(worst, r, NegativeDigest.TOP_MESSAGES);
    }

    double ratio() {
        return scored == 0 ? 0.0 : (double) negative / scored;
    }

    public int getScored() { return scored; }
    public void setScored(int scored) { this.scored = scored; }
    public int getNegative() { return negative; }
    public void setNegative(int negative) { this.negative = negative; }
    public Map<String, Integer> getNegativeAuthors() { return negativeAuthors; }
    public void setNegativeAuthors(Map<String, Integer> negativeAuthors) { this.negativeAuthors = negativeAuthors; }
    public Map<String, Integer> getTerms() { return terms; }
    public void setTerms(Map<String, Integer> terms) { this.terms = terms; }
    public Map<String, Integer> getCategories() { return categories; }
    public void setCategories(Map<String, Integer> categories) { this.categories = categories; }
    public List<MessageRef> getWorst() { return worst; }
    public void setWorst(List<MessageRef> worst) { this.worst = worst; }
}
