package com.communitypulse.lifecycle;

import java.util.Locale;

/** Member lifecycle stages of CONTRACT §5; {@link #wireName()} is the value of {@code from}/{@code to} in {@code pulse.lifecycle}. */
public enum LifecycleStage {
    NEW, ACTIVE, SILENT, AT_RISK, CHURNED, REACTIVATED;

    /** {@code from} of a member's first record: they had no stage before. */
    public static final String NONE = "none";

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** Activity in these stages is a comeback (CONTRACT §5: reactivated = active again after at_risk/churned). */
    boolean isLapsed() {
        return this == AT_RISK || this == CHURNED;
    }
}
