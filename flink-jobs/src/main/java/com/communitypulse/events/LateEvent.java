package com.communitypulse.events;

/** An event that arrived after the allowed lateness, bound for {@code pulse.late} with the watermark that made it late. */
public class LateEvent {
    private PulseEvent event;
    private long watermark;

    public LateEvent() {}

    public LateEvent(PulseEvent event, long watermark) {
        this.event = event;
        this.watermark = watermark;
    }

    public PulseEvent getEvent() { return event; }
    public void setEvent(PulseEvent event) { this.event = event; }
    public long getWatermark() { return watermark; }
    public void setWatermark(long watermark) { this.watermark = watermark; }
}
