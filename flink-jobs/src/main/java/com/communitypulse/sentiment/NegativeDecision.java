package com.communitypulse.sentiment;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a message is a complaint a moderator must see: the rules ({@link NegativeRules}) and the
 * learned actionable model ({@link ActionableModel}) combined (docs/SEMANTICS.md, "How negative-message
 * alerts decide"). The rules were tuned on the development chat set and know the category and the clause;
 * the model, trained on that set and the project's generated chat, carries what generalises to text
 * the rules never saw (sentiment README, "Actionable model": how the thresholds were chosen).
 *
 * <ul>
 *   <li>A rules complaint in a message the scorer labelled negative stands when the model gives it at
 *       least {@value #CONFIRM}: the rules' category, clause and clause score.
 *   <li>The model alone, at least {@value #ALONE}, makes a finding too: the rules' categories when they
 *       found a complaint clause at any label, else the lexicon's, else {@code complaint}; its score is
 *       {@code -p}, so {@code negative-message.max-score} still decides (at the default −0.6 every
 *       such finding alerts; a stricter community needs a surer model).
 * </ul>
 *
 * Stateless.
 */
public final class NegativeDecision {

    /** A rules complaint needs at least this P(actionable) to stand. */
    public static final double CONFIRM = 0.2;
    /** At least this P(actionable) is a finding without the rules. */
    public static final double ALONE = 0.8;

    private NegativeDecision() {}

    /**
     * @param negative the scorer labelled the message negative
     * @param rules the rules' finding ({@link NegativeRules#assess}), or null
     * @param a the actionable model's assessment
     * @param excerpt the masked excerpt, the clause of a finding the rules did not make
     * @return the finding that alerts (subject to max-score), or null
     */
    public static NegativeFinding decide(boolean negative, NegativeFinding rules, ActionableModel.Assessment a, String text,
            String excerpt) {
        return decide(negative, rules, a.probability(), a.lexiconCategories(), isLong(text), excerpt, CONFIRM, ALONE);
    }

    /** A long post in the rules' sense by length ({@value NegativeRules#LONG_POST_CHARS} chars). */
    static boolean isLong(String text) {
        return text.codePointCount(0, text.length()) > NegativeRules.LONG_POST_CHARS;
    }

    static NegativeFinding decide(boolean negative, NegativeFinding rules, double p, Set<ModerationCategory> lexiconCategories,
            boolean longPost, String excerpt, double confirm, double alone) {
        boolean rulesStand = negative && rules != null && p >= confirm;
        // In a long post the model alone reads a discussion's many complaint words as a complaint; there
        // it needs the rules' complaint clause (anchored to the writer, not a discussion or a notice).
        if (p < alone || (longPost && rules == null)) {
            if (!rulesStand) return null;
            List<String> reasons = new ArrayList<>(rules.reasons());
            reasons.add(String.format(Locale.ROOT, "model: actionable p %.2f", p));
            return new NegativeFinding(rules.categories(), rules.score(), rules.clause(), reasons, rules.critical());
        }
        Set<ModerationCategory> cats = rules != null ? rules.categories()
                : !lexiconCategories.isEmpty() ? lexiconCategories : EnumSet.of(ModerationCategory.COMPLAINT);
        double score = rulesStand ? Math.min(rules.score(), -p) : -p;
        List<String> reasons = new ArrayList<>(rules != null ? rules.reasons() : List.of());
        reasons.add(String.format(Locale.ROOT, "model: actionable p %.2f", p));
        String clause = rules != null ? rules.clause() : excerpt;
        return new NegativeFinding(cats, score, clause, reasons, rules != null && rules.critical());
    }
}
