package com.communitypulse.metrics;

/**
 * What {@link MemberActivityOperator} keeps per member and community (and per member for the
 * global total): which recent windows the member was already counted in, and the member's place
 * in the rolling sets. About 150 bytes serialized; see the function for its end of life.
 */
public class MemberState {
    public static final long NONE = Long.MIN_VALUE;
    /**
     * Rolling sets, indexed like {@link GaugeDelta}: dau, wau, mau (from lastActive), speakers-1d
     * (from lastSpeak), -, buyers-30d (from lastPaid), repeat-buyers-30d (from prevPaid).
     */
    public static final int SETS = 7;

    /** Per granularity × touch type: window index {@code << 16} | mask of the 16 latest windows already counted. */
    private long[] slots = new long[Granularity.COUNT * MemberTouches.TYPES];
    private long lastActive = NONE;
    private long lastSpeak = NONE;
    private long lastEvent = NONE;
    /** Per rolling set: the boundary the current membership interval started at, or NONE when out. */
    private long[] inSince = {NONE, NONE, NONE, NONE, NONE, NONE, NONE};
    /** Per rolling set: the boundary the previous interval ended at (a late activity never re-enters before it). */
    private long[] prevExit = {NONE, NONE, NONE, NONE, NONE, NONE, NONE};
    private long lastPaid = NONE;
    private long prevPaid = NONE;
    /** Start of the calendar day of the member's latest join (retention cohort), or NONE. */
    private long joinDay = NONE;
    /** Retention days already counted for the cohort: bit 0 = D1, 1 = D7, 2 = D30. */
    private int retained;
    private boolean member;

    public MemberState() {}

    public long[] getSlots() { return slots; }
    public void setSlots(long[] slots) { this.slots = slots; }
    public long getLastActive() { return lastActive; }
    public void setLastActive(long lastActive) { this.lastActive = lastActive; }
    public long getLastSpeak() { return lastSpeak; }
    public void setLastSpeak(long lastSpeak) { this.lastSpeak = lastSpeak; }
    public long getLastEvent() { return lastEvent; }
    public void setLastEvent(long lastEvent) { this.lastEvent = lastEvent; }
    public long[] getInSince() { return inSince; }
    public void setInSince(long[] inSince) { this.inSince = inSince; }
    public long[] getPrevExit() { return prevExit; }
    public void setPrevExit(long[] prevExit) { this.prevExit = prevExit; }
    public long getLastPaid() { return lastPaid; }
    public void setLastPaid(long lastPaid) { this.lastPaid = lastPaid; }
    public long getPrevPaid() { return prevPaid; }
    public void setPrevPaid(long prevPaid) { this.prevPaid = prevPaid; }
    public long getJoinDay() { return joinDay; }
    public void setJoinDay(long joinDay) { this.joinDay = joinDay; }
    public int getRetained() { return retained; }
    public void setRetained(int retained) { this.retained = retained; }
    public boolean isMember() { return member; }
    public void setMember(boolean member) { this.member = member; }

    /**
     * Marks window {@code index} of slot {@code s} as counted; true when it was not counted before
     * (this event is the member's first of that kind in that window).
     */
    public boolean markFirst(int s, long index) {
        long packed = slots[s];
        if (packed == 0) {
            slots[s] = (index << 16) | 1L;
            return true;
        }
        long latest = packed >>> 16;
        long mask = packed & 0xFFFFL;
        if (index > latest) {
            long shift = index - latest;
            mask = shift >= 16 ? 0 : (mask << shift) & 0xFFFFL;
            slots[s] = (index << 16) | mask | 1L;
            return true;
        }
        long back = latest - index;
        if (back >= 16) {
            // Outside the remembered span; the config check (lateness vs window) makes this unreachable.
            return false;
        }
        long bit = 1L << back;
        if ((mask & bit) != 0) {
            return false;
        }
        slots[s] = packed | bit;
        return true;
    }

    public boolean anySetIn() {
        for (long v : inSince) {
            if (v != NONE) return true;
        }
        return false;
    }
}
