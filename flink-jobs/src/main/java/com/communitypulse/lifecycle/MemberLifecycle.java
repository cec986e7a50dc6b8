package com.communitypulse.lifecycle;

import java.util.Arrays;

/**
 * What {@link LifecycleFunction} keeps per community × member: the stage, the times that drive the
 * time-based transitions, a bounded history of active days and of the quiet stretches between
 * activity sessions (the member's rhythm), replies/reactions received per day for the last 28 days,
 * and the member's orders attributed to the community. A few hundred bytes; see the function for
 * its end of life.
 *
 * <p>Days are local calendar days (epoch day numbers in {@code metrics.timezone}).
 */
public class MemberLifecycle {
    public static final long NONE = Long.MIN_VALUE;
    static final int RECEIVED_DAYS = 28;
    static final long HOUR_MS = 3_600_000L;
    /**
     * Activity with no break longer than this is one session: a weekly evening burst that runs
     * past midnight is one session, not two active days a day apart, and a morning and an evening
     * visit are one too, so that short breaks within a day do not crowd the bounded history and
     * pull its p90 down to hours (seen on generated data with a 6 h break).
     */
    static final long SESSION_BREAK_MS = 12 * HOUR_MS;
    /** The quantile of the member's session gaps that at_risk scales (docs/SEMANTICS.md, Lifecycle). */
    static final double RHYTHM_QUANTILE = 0.9;
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
    /**
     * Quiet stretches between the member's latest activity sessions, whole hours, oldest first, at
     * most {@code lifecycle.history-days}; null when restored from a layout that did not keep them
     * (then approximated from {@link #days}, see {@link #gapHours()}). Transient: the 0.1.0 map
     * state serialises this class as a POJO, and that type must stay what those savepoints hold;
     * the current state keeps the gaps in its compact format ({@link LifecycleStates}).
     */
    private transient int[] gapHours = new int[0];

    public MemberLifecycle() {}

    /**
     * Records activity at {@code ts} given the member's previous activity {@code prevActive}: a
     * break longer than {@link #SESSION_BREAK_MS} starts a new session and its quiet stretch joins
     * the history, so a burst across midnight counts once. Events arrive in event-time order.
     */
    void addActivity(long ts, long prevActive, int limit) {
        if (prevActive == NONE || ts - prevActive <= SESSION_BREAK_MS) return;
        int[] g = gapHours();
        long h = (ts - prevActive) / HOUR_MS;
        int[] n = Arrays.copyOfRange(g, Math.max(0, g.length + 1 - limit), g.length + 1);
        n[n.length - 1] = (int) Math.min(Integer.MAX_VALUE, h);
        gapHours = n;
    }

    /** The quiet stretches between sessions; for a state restored without them, the gaps between its active days. */
    int[] gapHours() {
        if (gapHours == null) {
            int[] g = new int[Math.max(0, days.length - 1)];
            for (int i = 1; i < days.length; i++) g[i - 1] = 24 * (days[i] - days[i - 1]);
            gapHours = g;
        }
        return gapHours;
    }

    /**
     * The {@code q}-quantile (nearest rank) of the quiet stretches between sessions, in hours; 0
     * without any. Nearest rank on at most 16 gaps: p90 is the second largest, so one holiday does
     * not stretch the member's rhythm, and the median is a gap the member really had.
     */
    int gapQuantileHours(double q) {
        int[] g = gapHours().clone();
        if (g.length == 0) return 0;
        Arrays.sort(g);
        int rank = (int) Math.ceil(q * g.length);
        return g[Math.max(0, Math.min(g.length, rank) - 1)];
    }

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
    /** Package-private on purpose: not a POJO property (see the field). */
    void setGapHours(int[] gapHours) { this.gapHours = gapHours; }
}
