package com.communitypulse.generator;

/**
 * One record as the generator emits it: what would be written to a Kafka topic (topic, key, value,
 * record timestamp) plus what the generator knows about it ({@link Kind}, event id).
 *
 * <p>The value array is shared with the generator's duplicate bookkeeping; callers must not modify
 * it.
 *
 * <h2>How to run</h2>
 * <pre>{@code
 * for (EventGenerator g = new EventGenerator(cfg); g.hasNext(); ) {
 *     GeneratedRecord r = g.next();
 *     producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value()));
 * }
 * }</pre>
 */
public final class GeneratedRecord {

    /** Why this record exists. */
    public enum Kind {
        /** A valid event emitted in event-time order. */
        GOOD,
        /** The same bytes as an earlier GOOD or OUT_OF_ORDER record, re-emitted shortly after it. */
        DUPLICATE,
        /** A valid, unique event emitted up to {@code maxDisorderMs} of event time after its place. */
        OUT_OF_ORDER,
        /** A valid, unique event whose event time is {@code lateByMs} behind the stream time. */
        LATE,
        /** Bytes that {@link com.communitypulse.events.EventParser} rejects. */
        MALFORMED
    }

    private final String topic;
    private final byte[] key;
    private final byte[] value;
    private final long timestamp;
    private final Kind kind;
    private final String eventId;

    GeneratedRecord(String topic, byte[] key, byte[] value, long timestamp, Kind kind, String eventId) {
        this.topic = topic;
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
        this.kind = kind;
        this.eventId = eventId;
    }

    GeneratedRecord as(Kind k) {
        return new GeneratedRecord(topic, key, value, timestamp, k, eventId);
    }

    public String topic() { return topic; }
    /** community_id for messages, user_id for clicks and orders (UTF-8). */
    public byte[] key() { return key; }
    public byte[] value() { return value; }
    /** Event time of the record (Kafka record timestamp); stream time for malformed records. */
    public long timestamp() { return timestamp; }
    public Kind kind() { return kind; }
    /** The event id, or null for malformed records. */
    public String eventId() { return eventId; }

    @Override
    public String toString() {
        return kind + "{" + topic + " " + eventId + " ts=" + timestamp + " " + value.length + "B}";
    }
}
