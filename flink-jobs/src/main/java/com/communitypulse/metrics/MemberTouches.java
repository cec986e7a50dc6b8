package com.communitypulse.metrics;

/**
 * Bit layout of {@code PulseEvent.touches}: which windows this event is the member's first
 * activity of a kind in. Bit {@code scope * 12 + granularity * 4 + type}, with scope 0 = the
 * event's community and 1 = the global total, granularity per {@link Granularity}, and type one
 * of {@link #ACTIVE}, {@link #SPEAKING}, {@link #CLICKER}, {@link #BUYER}.
 *
 * <p>Distinct-member counts per window are then plain sums in the window aggregators: no sets of
 * member ids in window state.
 */
public final class MemberTouches {
    public static final int ACTIVE = 0;
    public static final int SPEAKING = 1;
    public static final int CLICKER = 2;
    public static final int BUYER = 3;
    public static final int TYPES = 4;
    public static final int COMMUNITY = 0;
    public static final int GLOBAL = 1;

    private MemberTouches() {}

    public static int bit(int scope, int granularity, int type) {
        return 1 << (scope * 12 + granularity * TYPES + type);
    }

    public static boolean has(int touches, int scope, int granularity, int type) {
        return (touches & bit(scope, granularity, type)) != 0;
    }
}
