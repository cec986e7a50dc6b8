package com.communitypulse.alerts;

import java.util.Locale;

/** How urgently a moderator should look; ordered from least to most urgent. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** {@code info}, {@code warning}, {@code critical}. */
    public String wireName() {
        return wireName;
    }

    public static Severity max(Severity a, Severity b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.compareTo(b) >= 0 ? a : b;
    }
}
