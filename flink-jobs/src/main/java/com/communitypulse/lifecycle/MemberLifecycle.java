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
    /**
     * How far behind the newest day a received count is kept. Wider than the 28 days it is read
     * over because the two inputs are not ordered against each other: replies can arrive days
     * ahead of the member's own events (another source read faster), and must not push out days a
     * later alert still reads.
     */
    static final int RECEIVED_KEEP_DAYS = 64;

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
    /**
     * Replies + reactions received, sparse: pairs {@code day, count} ascending by day, days with
     * none left out (most members receive little, so this stays a few ints), at most
     * {@link #RECEIVED_KEEP_DAYS} days behind the newest.
     */
    private int[] receivedDays = new int[0];
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
        int[] r = receivedDays == null ? new int[0] : receivedDays;
        int newest = r.length == 0 ? day : Math.max(day, r[r.length - 2]);
        if (day <= newest - RECEIVED_KEEP_DAYS) return; // older than anything still read
        int drop = 0;
        while (drop < r.length && r[drop] <= newest - RECEIVED_KEEP_DAYS) drop += 2;
        int i = drop;
        while (i < r.length && r[i] < day) i += 2;
        if (i < r.length && r[i] == day) {
            r[i + 1]++;
            receivedDays = drop == 0 ? r : Arrays.copyOfRange(r, drop, r.length);
            return;
        }
        int[] n = new int[r.length - drop + 2];
        System.arraycopy(r, drop, n, 0, i - drop);
        n[i - drop] = day;
        n[i - drop + 1] = 1;
        System.arraycopy(r, i, n, i - drop + 2, r.length - i);
        receivedDays = n;
    }

    /** Replies + reactions received within the 28 days ending at {@code lastDay} (inclusive). */
    int receivedUpTo(int lastDay) {
        int n = 0;
        if (receivedDays == null) return 0;
        for (int i = 0; i < receivedDays.length; i += 2) {
            if (receivedDays[i] > lastDay - RECEIVED_DAYS && receivedDays[i] <= lastDay) n += receivedDays[i + 1];
        }
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
    public int[] getReceivedDays() { return receivedDays; }
    public void setReceivedDays(int[] receivedDays) { this.receivedDays = receivedDays; }
    public int getOrders() { return orders; }
    public void setOrders(int orders) { this.orders = orders; }
    public long getGmvMinor() { return gmvMinor; }
    public void setGmvMinor(long gmvMinor) { this.gmvMinor = gmvMinor; }
    public long getLastPaid() { return lastPaid; }
    public void setLastPaid(long lastPaid) { this.lastPaid = lastPaid; }
}
