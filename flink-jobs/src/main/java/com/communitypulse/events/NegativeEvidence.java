package com.communitypulse.events;

import java.util.List;

/**
 * The evidence of a negative message that travels with the event from where its text is scored
 * (right after the source, before any shuffle) to the alert functions: the moderation categories'
 * wire names, the matched terms and an excerpt in which only those terms are readable. Never the
 * text itself.
 *
 * <p>When the negative-message rules found a complaint (docs/SEMANTICS.md, "How negative-message
 * alerts decide"), also the clause that scored (masked the same way), its score, the reasons in words and
 * whether it calls for action now; otherwise {@code clause} is null, {@code clauseScore} NaN and the
 * categories are empty.
 */
public record NegativeEvidence(List<String> categories, List<String> terms, String excerpt,
                               String clause, double clauseScore, List<String> reasons, boolean critical) {
    public NegativeEvidence {
        categories = List.copyOf(categories);
        terms = List.copyOf(terms);
        reasons = List.copyOf(reasons);
    }

    /** Evidence without a rules finding (as written before the rules existed). */
    public NegativeEvidence(List<String> categories, List<String> terms, String excerpt) {
        this(categories, terms, excerpt, null, Double.NaN, List.of(), false);
    }

    public boolean hasFinding() {
        return clause != null;
    }
}
