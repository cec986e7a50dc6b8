package com.communitypulse.events;

import java.util.Locale;

/** Optional {@code role} of a message author (CONTRACT §3); absent means {@link #MEMBER}. */
public enum MemberRole {
    MEMBER, STAFF, BOT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MemberRole fromWire(String wire) {
        for (MemberRole r : values()) {
            if (r.wireName().equals(wire)) {
                return r;
            }
        }
        return null;
    }
}
