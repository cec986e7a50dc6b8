package com.communitypulse.lifecycle;

/**
 * Per-community state of {@link ChurnSpikeFunction}: members who churned (left or went inactive)
 * per hour for the trailing 24 hours, the daily baseline, and the open episode.
 */
public class ChurnWindow {
    public static final long NONE = Long.MIN_VALUE;
    static final int HOURS = 24;

    /** Ring: counts[h % 24] is hour h, for the 24 hours up to {@code latestHour}. */
    private int[] counts = new int[HOURS];
    private long latestHour = NONE;
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

    void add(long hour) {
        if (latestHour == NONE || hour - latestHour >= HOURS) {
            java.util.Arrays.fill(counts, 0);
            latestHour = hour;
        } else if (hour > latestHour) {
            for (long h = latestHour + 1; h <= hour; h++) counts[(int) Math.floorMod(h, HOURS)] = 0;
            latestHour = hour;
        } else if (hour <= latestHour - HOURS) {
            return;
        }
        counts[(int) Math.floorMod(hour, HOURS)]++;
    }

    /** Sum over hours in [fromHour, toHour). */
    int sum(long fromHour, long toHour) {
        if (latestHour == NONE) return 0;
        int n = 0;
        for (long h = Math.max(fromHour, latestHour - HOURS + 1); h < toHour && h <= latestHour; h++) {
            n += counts[(int) Math.floorMod(h, HOURS)];
        }
        return n;
    }

    public int[] getCounts() { return counts; }
    public void setCounts(int[] counts) { this.counts = counts; }
    public long getLatestHour() { return latestHour; }
    public void setLatestHour(long latestHour) { this.latestHour = latestHour; }
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
