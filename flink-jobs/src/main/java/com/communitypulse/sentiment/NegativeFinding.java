package com.communitypulse.sentiment;

import java.util.List;
import java.util.Set;

/**
 * Why a negative message is a complaint a moderator must see ({@link NegativeRules#assess}): the
 * categories in complaint sense, the score of the most negative qualifying clause, that clause with
 * all but lexicon terms and cues masked, the reasons in words ("delivery: '还没到' after '快递'") and
 * whether it calls for action now.
 */
public record NegativeFinding(Set<ModerationCategory> categories, double score, String clause, List<String> reasons, boolean critical) {
    public NegativeFinding {
        categories = Set.copyOf(categories);
        reasons = List.copyOf(reasons);
    }

    /** One line for a moderator: {@code clause: '快递十天*还没到' (delivery: '还没到' after '快递')}. */
    public String summary() {
        return summary(clause, reasons);
    }

    public static String summary(String clause, List<String> reasons) {
        return "clause: '" + clause + "'" + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")");
    }
}
