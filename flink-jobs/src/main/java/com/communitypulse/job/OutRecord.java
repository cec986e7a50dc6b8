package com.communitypulse.job;

/** A serialized output record: Kafka key, JSON value, and the record timestamp (null = broker/append time). */
public class OutRecord {
    private byte[] key;
    private byte[] value;
    private Long timestamp;

    public OutRecord() {}

    public OutRecord(byte[] key, byte[] value, Long timestamp) {
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
    }

    public byte[] getKey() { return key; }
    public void setKey(byte[] key) { this.key = key; }
    public byte[] getValue() { return value; }
    public void setValue(byte[] value) { this.value = value; }
    public Long getTimestamp() { return timestamp; }
    public void setTimestamp(Long timestamp) { this.timestamp = timestamp; }
}
