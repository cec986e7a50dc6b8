package com.communitypulse.alerts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * State of {@link NegativeMessageFunction}: one open rate-limit interval of a community and the
 * hits folded into it. Bounded: maps are keyed by lexicon terms, categories and authors of one
 * interval, and only {@link #TOP_MESSAGES} message refs are kept.
 */
public class NegativeDigest {
    public static final int TOP_MESSAGES = 5;

    private long start;
    private long end;
    /** Alert that opened this interval (the single-message alert or the previous digest). */
    private String previousAlertId;
    private int count;
    private Severity severity;
    private Map<String, Integer> terms = new HashMap<>();
    private Map<String, Integer> categories = new HashMap<>();
    private Map<String, Integer> authors = new HashMap<>();
    /** The rules' category reasons of the folded hits ("delivery: '还没到' after '快递'"), counted. */
    private Map<String, Integer> reasons = new HashMap<>();
    private List<MessageRef> worst = new ArrayList<>();

    public NegativeDigest() {}

    public NegativeDigest(long start, long end, String previousAlertId) {
        this.start = start;
        this.end = end;
        this.previousAlertId = previousAlertId;
    }

    void add(com.communitypulse.sentiment.ScoredMessage m, Severity s) {
        count++;
        severity = Severity.max(severity, s);
        for (String t : m.getTerms()) terms.merge(t, 1, Integer::sum);
        for (String c : m.getCategories()) categories.merge(c, 1, Integer::sum);
        authors.merge(m.getUserId(), 1, Integer::sum);
        for (String r : m.getReasons()) {
            int colon = r.indexOf(':');
            if (colon > 0 && (m.getCategories().contains(r.substring(0, colon)) || r.startsWith("safety:"))) reasons.merge(r, 1, Integer::sum);
        }
        MessageRef.keepMostNegative(worst, new MessageRef(m.getEventId(), m.getUserId(), m.getTs(), m.getScore()), TOP_MESSAGES);
    }

    public long getStart() { return start; }
    public void setStart(long start) { this.start = start; }
    public long getEnd() { return end; }
    public void setEnd(long end) { this.end = end; }
    public String getPreviousAlertId() { return previousAlertId; }
    public void setPreviousAlertId(String previousAlertId) { this.previousAlertId = previousAlertId; }
    public int getCount() { return count; }
    public void setCount(int count) { this.count = count; }
    public Severity getSeverity() { return severity; }
    public void setSeverity(Severity severity) { this.severity = severity; }
    public Map<String, Integer> getTerms() { return terms; }
    public void setTerms(Map<String, Integer> terms) { this.terms = terms; }
    public Map<String, Integer> getCategories() { return categories; }
    public void setCategories(Map<String, Integer> categories) { this.categories = categories; }
    public Map<String, Integer> getAuthors() { return authors; }
    public void setAuthors(Map<String, Integer> authors) { this.authors = authors; }
    public Map<String, Integer> getReasons() { return reasons; }
    public void setReasons(Map<String, Integer> reasons) { this.reasons = reasons; }
    public List<MessageRef> getWorst() { return worst; }
    public void setWorst(List<MessageRef> worst) { this.worst = worst; }
}
