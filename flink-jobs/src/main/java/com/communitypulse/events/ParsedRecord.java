package com.communitypulse.events;

/**
 * What a source emits: exactly one of a parsed {@link PulseEvent} or a {@link DeadLetter}, with
 * the topic and partition it was read from (an input file is partition 0 of its topic).
 * Parsing happens in the source's deserializer so that watermarks are generated per partition
 * from real event times; dead letters carry no event time and never move the watermark.
 *
 * <p>The topic and partition travel with the record because the lateness verdict
 * ({@link LatenessTracker}) is per partition and is taken by the router after the source, where it
 * can be checkpointed; the deserializer cannot keep checkpointed state.
 */
public class ParsedRecord {
    private PulseEvent event;
    private DeadLetter deadLetter;
    private String topic;
    private int partition;

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

    /** Sets where the record was read from; returns this. */
    public ParsedRecord from(String topic, int partition) {
        this.topic = topic;
        this.partition = partition;
        return this;
    }

    public boolean isEvent() {
        return event != null;
    }

    public PulseEvent getEvent() { return event; }
    public void setEvent(PulseEvent event) { this.event = event; }
    public DeadLetter getDeadLetter() { return deadLetter; }
    public void setDeadLetter(DeadLetter deadLetter) { this.deadLetter = deadLetter; }
    public String getTopic() { return topic; }
    public void setTopic(String topic) { this.topic = topic; }
    public int getPartition() { return partition; }
    public void setPartition(int partition) { this.partition = partition; }
}
