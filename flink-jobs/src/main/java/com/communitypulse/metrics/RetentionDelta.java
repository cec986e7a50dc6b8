package com.communitypulse.metrics;

/**
 * A change of one retention cohort (members who joined a community on one calendar day): +1 to
 * the cohort, or +1 to those active on day d+1, d+7 or d+30. Sent by {@link MemberActivityOperator},
 * summed by {@link RetentionFunction}.
 */
public class RetentionDelta {
    public static final int COHORT = 0;
    public static final int D1 = 1;
    public static final int D7 = 2;
    public static final int D30 = 3;

    private String communityId;
    private long cohortDay;
    private int slot;

    public RetentionDelta() {}

    public RetentionDelta(String communityId, long cohortDay, int slot) {
        this.communityId = communityId;
        this.cohortDay = cohortDay;
        this.slot = slot;
    }

    public String getCommunityId() { return communityId; }
    public void setCommunityId(String communityId) { this.communityId = communityId; }
    public long getCohortDay() { return cohortDay; }
    public void setCohortDay(long cohortDay) { this.cohortDay = cohortDay; }
    public int getSlot() { return slot; }
    public void setSlot(int slot) { this.slot = slot; }
}
