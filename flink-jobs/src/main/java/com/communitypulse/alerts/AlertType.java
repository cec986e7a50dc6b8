package com.communitypulse.alerts;

/** The alert types of CONTRACT §6; {@link #name()} is the value of {@code type} on the wire. */
public enum AlertType {
    /** A valuable member enters {@code at_risk} (member alert: carries {@code user_id}). */
    MEMBER_AT_RISK,
    /** A valuable member leaves or enters {@code churned} (member alert). */
    MEMBER_CHURNED,
    /** Leaves + churned members of a community in the trailing 24 h far above its baseline (episode: firing/resolved). */
    CHURN_SPIKE,
    /** One strongly negative message in a moderation category, or a digest of several (rate-limited). */
    NEGATIVE_MESSAGE,
    /** A community's trailing negative ratio far above threshold and baseline (episode: firing/resolved). */
    NEGATIVE_SPIKE;

    /** Spikes are episodes with a {@code state}; the other types are one-off alerts. */
    public boolean isEpisode() {
        return this == CHURN_SPIKE || this == NEGATIVE_SPIKE;
    }
}
