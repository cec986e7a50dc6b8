package com.communitypulse.sentiment;

/** Polarity of a message, as written to the output topics by {@link #wireName()}. */
public enum SentimentLabel {
    POSITIVE("positive"),
    NEUTRAL("neutral"),
    NEGATIVE("negative");

    private final String wireName;

    SentimentLabel(String wireName) {
        this.wireName = wireName;
    }

    /** Lower-case name used in JSON records, CLI output and Prometheus labels. */
    public String wireName() {
        return wireName;
    }
}
