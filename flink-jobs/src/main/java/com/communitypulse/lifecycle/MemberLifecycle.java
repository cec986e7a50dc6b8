package com.communitypulse.lifecycle;

import java.util.Arrays;

/**
 * What {@link LifecycleFunction} keeps per community × member: the stage, the times that drive the
 * time-based transitions, a bounded history of active days, replies/reactions received per day for
 * the last 28 days, and the member's orders attributed to the community. A few hundred bytes; see
 * the function for its end of life.
 *
 * <p>Days are local calendar days (epoch day numbers in {@code metrics.timezone}).
 */
public class MemberLifecycle {
    public static final long NONE = Long.MIN_VALUE;
    static final int RECEIVED_DAYS = 28;

    /** Null while the entry only holds facts (orders, replies received) of someone not seen acting yet. */
    private LifecycleStage stage;
    private long stageSince = NONE;
    private long joinTs = NONE;
    private long lastActive = NONE;
    /** Start of the current no-speaking stretch: last post/comment/reply, join, first sighting or comeback. */
    private long speakRef = NONE;
    /** Start of the current no-activity stretch: last activity, or the join/first sighting before any. */
    private long activeRef = NONE;
    private long lastEvent = NONE;
    /** Latest active days, ascending, at most {@code lifecycle.history-days}. */
    private int[] days = new int[0];
    private int receivedDay = Integer.MIN_VALUE;
    /** Ring: received[d % 28] counts day d, for the 28 days up to {@code receivedDay}. */
    private int[] received = new int[RECEIVED_DAYS];
    private int orders;
    private long gmvMinor;
    private long lastPaid = NONE;

    public MemberLifecycle() {}

    /** Records an active day; returns false when it was already known. */
    boolean addDay(int day, int limit) {
        int i = Arrays.binarySearch(days, day);
        if (i >= 0) return false;
        int at = -i - 1;
        if (days.length >= limit && at == 0) return false; // older than the whole history: does not change the cadence
        int[] n = new int[days.length + 1];
        System.arraycopy(days, 0, n, 0, at);
        n[at] = day;
        System.arraycopy(days, at, n, at + 1, days.length - at);
        days = n.length > limit ? Arrays.copyOfRange(n, n.length - limit, n.length) : n;
        return true;
    }

    /** Median gap between consecutive active days in the history, in days (0 with fewer than two days). */
    double medianGapDays() {
        if (days.length < 2) return 0;
        int[] gaps = new int[days.length - 1];
        for (int i = 1; i < days.length; i++) gaps[i - 1] = days[i] - days[i - 1];
        Arrays.sort(gaps);
        int m = gaps.length / 2;
        return gaps.length % 2 == 1 ? gaps[m] : (gaps[m - 1] + gaps[m]) / 2.0;
    }

    /** Active days within the 28 days ending at {@code lastDay} (inclusive). */
    int activeDaysUpTo(int lastDay) {
        int n = 0;
        for (int d : days) if (d > lastDay - 28 && d <= lastDay) n++;
        return n;
    }

    void addReceived(int day) {
        if (receivedDay == Integer.MIN_VALUE || (long) day - receivedDay >= RECEIVED_DAYS) {
            Arrays.fill(received, 0);
            receivedDay = day;
        } else if (day > receivedDay) {
            for (int d = receivedDay + 1; d <= day; d++) received[Math.floorMod(d, RECEIVED_DAYS)] = 0;
            receivedDay = day;
        } else if (day <= receivedDay - RECEIVED_DAYS) {
            return; // older than the ring
        }
        received[Math.floorMod(day, RECEIVED_DAYS)]++;
    }

    /** Replies + reactions received within the 28 days ending at {@code lastDay}, as far as the ring still holds them. */
    int receivedUpTo(int lastDay) {
        if (receivedDay == Integer.MIN_VALUE) return 0;
        int n = 0;
        for (int d = Math.max(lastDay - 27, receivedDay - 27); d <= Math.min(lastDay, receivedDay); d++) n += received[Math.floorMod(d, RECEIVED_DAYS)];
        return n;
    }

    public LifecycleStage getStage() { return stage; }
    public void setStage(LifecycleStage stage) { this.stage = stage; }
    public long getStageSince() { return stageSince; }
    public void setStageSince(long stageSince) { this.stageSince = stageSince; }
    public long getJoinTs() { return joinTs; }
    public void setJoinTs(long joinTs) { this.joinTs = joinTs; }
    public long getLastActive() { return lastActive; }
    public void setLastActive(long lastActive) { this.lastActive = lastActive; }
    public long getSpeakRef() { return speakRef; }
    public void setSpeakRef(long speakRef) { this.speakRef = speakRef; }
    public long getActiveRef() { return activeRef; }
    public void setActiveRef(long activeRef) { this.activeRef = activeRef; }
    public long getLastEvent() { return lastEvent; }
    public void setLastEvent(long lastEvent) { this.lastEvent = lastEvent; }
    public int[] getDays() { return days; }
    public void setDays(int[] days) { this.days = days; }
    public int getReceivedDay() { return receivedDay; }
    public void setReceivedDay(int receivedDay) { this.receivedDay = receivedDay; }
    public int[] getReceived() { return received; }
    public void setReceived(int[] received) { this.received = received; }
    public int getOrders() { return orders; }
    public void setOrders(int orders) { this.orders = orders; }
    public long getGmvMinor() { return gmvMinor; }
    public void setGmvMinor(long gmvMinor) { this.gmvMinor = gmvMinor; }
    public long getLastPaid() { return lastPaid; }
    public void setLastPaid(long lastPaid) { this.lastPaid = lastPaid; }
}
