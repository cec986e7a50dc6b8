package com.communitypulse.sentiment;

import com.communitypulse.events.MemberRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the alert functions need to know about one scored post/comment/reply, without its text
 * (emitted by {@link SentimentFunction} as a side output). For negative messages it also carries
 * the matched moderation categories and lexicon terms and a masked excerpt in which only the
 * matched terms are readable; for other messages those stay empty, which keeps the record small.
 */
public class ScoredMessage {
    private String eventId;
    private String communityId;
    private String userId;
    private long ts;
    private MemberRole role;
    private double score;
    private SentimentLabel label;
    private List<String> categories = new ArrayList<>();
    private List<String> terms = new ArrayList<>();
    private String excerpt;
    private String clause;
    private double clauseScore = Double.NaN;
    private List<String> reasons = new ArrayList<>();
    private boolean critical;

    /** Flink POJO constructor. */
    public ScoredMessage() {}

    public ScoredMessage(String eventId, String communityId, String userId, long ts, MemberRole role, double score,
                         SentimentLabel label, List<String> categories, List<String> terms, String excerpt) {
        this.eventId = eventId;
        this.communityId = communityId;
        this.userId = userId;
        this.ts = ts;
        this.role = role;
        this.score = score;
        this.label = label;
        this.categories = new ArrayList<>(categories);
        this.terms = new ArrayList<>(terms);
        this.excerpt = excerpt;
    }

    /** Adds the negative-message rules' finding (see {@link NegativeRules}); returns this. */
    public ScoredMessage withFinding(String clause, double clauseScore, List<String> reasons, boolean critical) {
        this.clause = clause;
        this.clauseScore = clauseScore;
        this.reasons = new ArrayList<>(reasons);
        this.critical = critical;
        return this;
    }

    /** Whether the rules found a complaint (a clause that scored); messages scored before the rules have none. */
    public boolean hasFinding() {
        return clause != null;
    }

    public boolean isNegative() {
        return label == SentimentLabel.NEGATIVE;
    }

    public boolean isStaffOrBot() {
        return role == MemberRole.STAFF || role == MemberRole.BOT;
    }

    public String getEventId() { return eventId; }
    public void setEventId(String eventId) { this.eventId = eventId; }
    public String getCommunityId() { return communityId; }
    public void setCommunityId(String communityId) { this.communityId = communityId; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public long getTs() { return ts; }
    public void setTs(long ts) { this.ts = ts; }
    public MemberRole getRole() { return role; }
    public void setRole(MemberRole role) { this.role = role; }
    public double getScore() { return score; }
    public void setScore(double score) { this.score = score; }
    public SentimentLabel getLabel() { return label; }
    public void setLabel(SentimentLabel label) { this.label = label; }
    /** Wire names of the moderation categories (empty unless negative). */
    public List<String> getCategories() { return categories; }
    public void setCategories(List<String> categories) { this.categories = categories; }
    /** Matched lexicon terms (empty unless negative). */
    public List<String> getTerms() { return terms; }
    public void setTerms(List<String> terms) { this.terms = terms; }
    /** At most {@link MaskedExcerpt#MAX_CHARS} characters, everything but matched terms and whitespace masked; null unless negative. */
    public String getExcerpt() { return excerpt; }
    public void setExcerpt(String excerpt) { this.excerpt = excerpt; }
    /** The clause that scored, masked like the excerpt; null without a finding. */
    public String getClause() { return clause; }
    public void setClause(String clause) { this.clause = clause; }
    /** Score of the clause that scored; NaN without a finding. */
    public double getClauseScore() { return clauseScore; }
    public void setClauseScore(double clauseScore) { this.clauseScore = clauseScore; }
    /** Why, in words ("delivery: '还没到' after '快递'"). */
    public List<String> getReasons() { return reasons; }
    public void setReasons(List<String> reasons) { this.reasons = reasons; }
    /** Act now: a fraud, counterfeit or abuse report with strong evidence, or a safety term. */
    public boolean isCritical() { return critical; }
    public void setCritical(boolean critical) { this.critical = critical; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ScoredMessage)) return false;
        ScoredMessage m = (ScoredMessage) o;
        return ts == m.ts && Double.compare(score, m.score) == 0 && Objects.equals(eventId, m.eventId)
                && Objects.equals(communityId, m.communityId) && Objects.equals(userId, m.userId) && role == m.role
                && label == m.label && Objects.equals(categories, m.categories) && Objects.equals(terms, m.terms)
                && Objects.equals(excerpt, m.excerpt) && Objects.equals(clause, m.clause)
                && Double.compare(clauseScore, m.clauseScore) == 0 && Objects.equals(reasons, m.reasons) && critical == m.critical;
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, ts);
    }

    @Override
    public String toString() {
        return "Scored{" + eventId + " c=" + communityId + " u=" + userId + " ts=" + ts + " " + label + " " + score + " " + categories + " " + terms + (clause == null ? "" : " clause=" + clause + " " + clauseScore + " " + reasons) + "}";
    }
}
