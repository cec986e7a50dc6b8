package com.communitypulse.metrics;

/**
 * A change of a community's rolling gauges, effective at the emission boundary {@code at} (a
 * multiple of the rolling emit interval): +1/-1 for dau, wau, mau, members, and members who spoke
 * in the trailing day. Sent by {@link MemberActivityFunction}, summed by {@link RollingGaugeFunction}.
 */
public class GaugeDelta {
    public static final int DAU = 0;
    public static final int WAU = 1;
    public static final int MAU = 2;
    public static final int SPEAKERS_1D = 3;
    public static final int MEMBERS = 4;
    public static final int SIZE = 5;

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
