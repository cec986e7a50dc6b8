package com.communitypulse.alerts;

import java.util.Locale;

/** State of an episode alert (spikes): one {@code firing} per episode, then one {@code resolved}. */
public enum AlertState {
    FIRING, RESOLVED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }
}
