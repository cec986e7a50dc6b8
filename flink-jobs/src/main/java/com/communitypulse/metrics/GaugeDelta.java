package com.communitypulse.metrics;

/**
 * A change of a community's rolling gauges, effective at the emission boundary {@code at} (a
 * multiple of the rolling emit interval): +1/-1 for dau, wau, mau, members who spoke in the
 * trailing day, members, and buyers / repeat buyers of the trailing 30 days. Sent by {@link MemberActivityOperator}, summed by {@link RollingGaugeFunction}.
 */
public class GaugeDelta {
    public static final int DAU = 0;
    public static final int WAU = 1;
    public static final int MAU = 2;
    public static final int SPEAKERS_1D = 3;
    public static final int MEMBERS = 4;
    /** Members with a paid order in the trailing 30 days, and with at least two (repurchase). */
    public static final int BUYERS_30D = 5;
    public static final int REPEAT_BUYERS_30D = 6;
    public static final int SIZE = 7;

    private String communityId;
    private long at;
    private long[] delta = new long[SIZE];

    public GaugeDelta() {}

    public GaugeDelta(String communityId, long at, int gauge, long d) {
        this.communityId = communityId;
        this.at = at;
        this.delta[gauge] = d;
    }

    public String getCommunityId() { return communityId; }
    public void setCommunityId(String communityId) { this.communityId = communityId; }
    public long getAt() { return at; }
    public void setAt(long at) { this.at = at; }
    public long[] getDelta() { return delta; }
    public void setDelta(long[] delta) { this.delta = delta; }

    @Override
    public String toString() {
        return "GaugeDelta{" + communityId + "@" + at + " " + java.util.Arrays.toString(delta) + "}";
    }
}
