package com.communitypulse.lifecycle;

/**
 * Per-community state of {@link ChurnSpikeFunction}: members who churned (left or went inactive)
 * per hour, for the trailing 24 hours and any hours already ahead of the evaluations, the daily baseline, and the open episode.
 */
public class ChurnWindow {
    public static final long NONE = Long.MIN_VALUE;

    /** Hours (epoch hour numbers, ascending) with churn, and their counts; hours before the window are dropped at evaluation. */
    private long[] hours = new long[0];
    private int[] counts = new int[0];
    /** Of {@code counts}, the members who left (the rest churned through inactivity). */
    private int[] leaves = new int[0];
    /** EW mean of the daily count of leaves alone. */
    private double leaveBaseline;
    private int leaveSamples;
    /** First inactivity churn seen: until the all-churn baseline has learnt a week after it, only leaves are judged. */
    private long inactiveSince = NONE;
    /**
     * Earliest inactivity churn received but not yet reached by an evaluation, or NONE. Applied (as
     * {@code inactiveSince}, restarting the baseline's sample count) by the first evaluation after
     * it, so the restart depends on event time, not on when the record happened to arrive.
     */
    private long pendingInactiveSince = NONE;
    /** Event time since which the calm condition holds in an open episode, or NONE. */
    private long calmSince = NONE;
    /** Next hourly evaluation (epoch ms), or NONE while no evaluation chain runs. */
    private long nextEvaluation = NONE;
    /** Exponentially weighted mean of the 24 h count sampled at each UTC day boundary. */
    private double baseline;
    private int samples;
    private long lastSampleDay = NONE;
    /** Open episode: start (evaluation time of the firing), or NONE. */
    private long episodeStart = NONE;
    private String firingAlertId;
    private int peak;
    private long retentionAt = NONE;

    public ChurnWindow() {}

    // Sparse and sorted rather than a 24-slot ring: records can run ahead of the evaluations by more than a day.
    void add(long hour, boolean left) {
        int i = java.util.Arrays.binarySearch(hours, hour);
        if (i >= 0) {
            counts[i]++;
            if (left) leaves[i]++;
            return;
        }
        int at = -i - 1;
        long[] h = new long[hours.length + 1];
        int[] c = new int[counts.length + 1];
        System.arraycopy(hours, 0, h, 0, at);
        System.arraycopy(counts, 0, c, 0, at);
        h[at] = hour;
        c[at] = 1;
        System.arraycopy(hours, at, h, at + 1, hours.length - at);
        System.arraycopy(counts, at, c, at + 1, counts.length - at);
        int[] l = new int[leaves.length + 1];
        System.arraycopy(leaves, 0, l, 0, at);
        l[at] = left ? 1 : 0;
        System.arraycopy(leaves, at, l, at + 1, leaves.length - at);
        hours = h;
        counts = c;
        leaves = l;
    }

    /** Sum over hours in [fromHour, toHour): all churned, or leaves only. */
    int sum(long fromHour, long toHour, boolean leavesOnly) {
        int n = 0;
        for (int i = 0; i < hours.length; i++) {
            if (hours[i] >= fromHour && hours[i] < toHour) n += leavesOnly ? leaves[i] : counts[i];
        }
        return n;
    }

    /** The first hour at or after {@code hour} that holds a count, or {@link #NONE} (hours are kept sorted). */
    long firstFrom(long hour) {
        for (long h : hours) {
            if (h >= hour) return h;
        }
        return NONE;
    }

    void dropBefore(long hour) {
        int k = 0;
        while (k < hours.length && hours[k] < hour) k++;
        if (k > 0) {
            hours = java.util.Arrays.copyOfRange(hours, k, hours.length);
            counts = java.util.Arrays.copyOfRange(counts, k, counts.length);
            leaves = java.util.Arrays.copyOfRange(leaves, k, leaves.length);
        }
    }

    public int[] getLeaves() { return leaves; }
    public void setLeaves(int[] leaves) { this.leaves = leaves; }
    public double getLeaveBaseline() { return leaveBaseline; }
    public void setLeaveBaseline(double leaveBaseline) { this.leaveBaseline = leaveBaseline; }
    public int getLeaveSamples() { return leaveSamples; }
    public void setLeaveSamples(int leaveSamples) { this.leaveSamples = leaveSamples; }
    public long getInactiveSince() { return inactiveSince; }
    public void setInactiveSince(long inactiveSince) { this.inactiveSince = inactiveSince; }
    public long getPendingInactiveSince() { return pendingInactiveSince; }
    public void setPendingInactiveSince(long pendingInactiveSince) { this.pendingInactiveSince = pendingInactiveSince; }
    public long getCalmSince() { return calmSince; }
    public void setCalmSince(long calmSince) { this.calmSince = calmSince; }
    public long[] getHours() { return hours; }
    public void setHours(long[] hours) { this.hours = hours; }
    public int[] getCounts() { return counts; }
    public void setCounts(int[] counts) { this.counts = counts; }
    public long getNextEvaluation() { return nextEvaluation; }
    public void setNextEvaluation(long nextEvaluation) { this.nextEvaluation = nextEvaluation; }
    public double getBaseline() { return baseline; }
    public void setBaseline(double baseline) { this.baseline = baseline; }
    public int getSamples() { return samples; }
    public void setSamples(int samples) { this.samples = samples; }
    public long getLastSampleDay() { return lastSampleDay; }
    public void setLastSampleDay(long lastSampleDay) { this.lastSampleDay = lastSampleDay; }
    public long getEpisodeStart() { return episodeStart; }
    public void setEpisodeStart(long episodeStart) { this.episodeStart = episodeStart; }
    public String getFiringAlertId() { return firingAlertId; }
    public void setFiringAlertId(String firingAlertId) { this.firingAlertId = firingAlertId; }
    public int getPeak() { return peak; }
    public void setPeak(int peak) { this.peak = peak; }
    public long getRetentionAt() { return retentionAt; }
    public void setRetentionAt(long retentionAt) { this.retentionAt = retentionAt; }
}
