package com.communitypulse.sentiment;

import java.util.Locale;

/**
 * What a negative message is about, so moderators can route it. Matched from the category lexicons
 * ({@code sentiment/{zh,en}/categories.tsv}); see the resources README for the format.
 */
public enum ModerationCategory {
    COMPLAINT,
    REFUND,
    COUNTERFEIT,
    FRAUD,
    QUALITY,
    DELIVERY,
    SERVICE,
    ABUSE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** Lower-case name used in JSON records, CLI output and the lexicon files. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name (case-insensitive); also accepts a few synonyms used in the lexicon files.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ModerationCategory fromWireName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "return":
                return REFUND;
            case "scam":
                return FRAUD;
            case "fake":
                return COUNTERFEIT;
            default:
                for (ModerationCategory c : values()) {
                    if (c.wireName.equals(n)) {
                        return c;
                    }
                }
                throw new IllegalArgumentException("unknown moderation category '" + name
                        + "'; use one of complaint, refund, counterfeit, fraud, quality, delivery, service, abuse");
        }
    }
}
