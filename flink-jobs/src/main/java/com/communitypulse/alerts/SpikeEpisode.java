package com.communitypulse.alerts;

/** An open (firing) {@code NEGATIVE_SPIKE} episode of one community. */
public class SpikeEpisode {
    private String firingAlertId;
    private long start;
    private double entryLevel;
    private double peakRatio;
    /** Event time since which the calm condition holds, or null. */
    private Long calmSince;

    public SpikeEpisode() {}

    SpikeEpisode(String firingAlertId, long start, double entryLevel, double ratio) {
        this.firingAlertId = firingAlertId;
        this.start = start;
        this.entryLevel = entryLevel;
        this.peakRatio = ratio;
    }

    public String getFiringAlertId() { return firingAlertId; }
    public void setFiringAlertId(String firingAlertId) { this.firingAlertId = firingAlertId; }
    public long getStart() { return start; }
    public void setStart(long start) { this.start = start; }
    public double getEntryLevel() { return entryLevel; }
    public void setEntryLevel(double entryLevel) { this.entryLevel = entryLevel; }
    public double getPeakRatio() { return peakRatio; }
    public void setPeakRatio(double peakRatio) { this.peakRatio = peakRatio; }
    public Long getCalmSince() { return calmSince; }
    public void setCalmSince(Long calmSince) { this.calmSince = calmSince; }
}
