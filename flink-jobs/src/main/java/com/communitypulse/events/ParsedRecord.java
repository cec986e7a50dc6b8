package com.communitypulse.events;

/**
 * What a source emits: exactly one of a parsed {@link PulseEvent} or a {@link DeadLetter}.
 * Parsing happens in the source's deserializer so that watermarks are generated per partition
 * from real event times; dead letters carry no event time and never move the watermark.
 */
public class ParsedRecord {
    private PulseEvent event;
    private DeadLetter deadLetter;
    /** For a late event: its partition's watermark when it was read; {@link Long#MIN_VALUE} otherwise. */
    private long lateAt = Long.MIN_VALUE;

    public ParsedRecord() {}

    public static ParsedRecord ofEvent(PulseEvent e) {
        ParsedRecord r = new ParsedRecord();
        r.event = e;
        return r;
    }

    public static ParsedRecord ofDeadLetter(DeadLetter d) {
        ParsedRecord r = new ParsedRecord();
        r.deadLetter = d;
        return r;
    }

    public boolean isEvent() {
        return event != null;
    }

    public boolean isLate() {
        return lateAt != Long.MIN_VALUE;
    }

    public long getLateAt() { return lateAt; }
    public void setLateAt(long lateAt) { this.lateAt = lateAt; }
    public PulseEvent getEvent() { return event; }
    public void setEvent(PulseEvent event) { this.event = event; }
    public DeadLetter getDeadLetter() { return deadLetter; }
    public void setDeadLetter(DeadLetter deadLetter) { this.deadLetter = deadLetter; }
}
