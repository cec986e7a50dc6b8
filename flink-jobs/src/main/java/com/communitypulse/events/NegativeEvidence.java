package com.communitypulse.events;

import java.util.List;

/**
 * The evidence of a negative message that travels with the event from where its text is scored
 * (right after the source, before any shuffle) to the alert functions: the moderation categories'
 * wire names, the matched terms and an excerpt in which only those terms are readable. Never the
 * text itself.
 */
public record NegativeEvidence(List<String> categories, List<String> terms, String excerpt) {
    public NegativeEvidence {
        categories = List.copyOf(categories);
        terms = List.copyOf(terms);
    }
}
