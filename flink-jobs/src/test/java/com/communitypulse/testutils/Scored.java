package com.communitypulse.testutils;

import com.communitypulse.events.MemberRole;
import com.communitypulse.sentiment.ScoredMessage;
import com.communitypulse.sentiment.SentimentLabel;
import java.util.List;

/** Factories for {@link ScoredMessage}s as {@code SentimentFunction} emits them. */
public final class Scored {
    private Scored() {}

    /** A strongly negative member complaint in the refund and quality categories. */
    public static ScoredMessage complaint(String community, String user, long ts) {
        return negative(community, user, ts, -0.9, List.of("refund", "quality"), List.of("太差", "退款"));
    }

    public static ScoredMessage negative(String community, String user, long ts, double score, List<String> categories, List<String> terms) {
        return new ScoredMessage(Events.id(), community, user, ts, MemberRole.MEMBER, score, SentimentLabel.NEGATIVE, categories, terms,
                "**" + String.join("", terms) + "**");
    }

    public static ScoredMessage neutral(String community, String user, long ts) {
        return new ScoredMessage(Events.id(), community, user, ts, MemberRole.MEMBER, 0.0, SentimentLabel.NEUTRAL, List.of(), List.of(), null);
    }

    public static ScoredMessage positive(String community, String user, long ts) {
        return new ScoredMessage(Events.id(), community, user, ts, MemberRole.MEMBER, 0.8, SentimentLabel.POSITIVE, List.of(), List.of(), null);
    }

    public static ScoredMessage withRole(ScoredMessage m, MemberRole role) {
        m.setRole(role);
        return m;
    }
}
