package com.communitypulse.job;

/**
 * A serialized output record: Kafka key, JSON value, the record timestamp (null = broker/append
 * time) and, for topics partitioned by something other than the key, the string to partition by
 * ({@code pulse.metrics}: the community id; null = Kafka's default partitioner on the key). The
 * sink reads the partition key from here rather than parsing the JSON key again for every record.
 * {@code topic} says which output topic the record is for: the job writes all its topics through one
 * sink per delivery guarantee ({@link PulseSinks}); null = the sink's one fixed topic.
 */
public class OutRecord {
    private byte[] key;
    private byte[] value;
    private Long timestamp;
    private String partitionKey;
    private OutputTopic topic;

    public OutRecord() {}

    public OutRecord(byte[] key, byte[] value, Long timestamp) {
        this(key, value, timestamp, null);
    }

    public OutRecord(byte[] key, byte[] value, Long timestamp, String partitionKey) {
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
        this.partitionKey = partitionKey;
    }

    public byte[] getKey() { return key; }
    public void setKey(byte[] key) { this.key = key; }
    public byte[] getValue() { return value; }
    public void setValue(byte[] value) { this.value = value; }
    public Long getTimestamp() { return timestamp; }
    public void setTimestamp(Long timestamp) { this.timestamp = timestamp; }
    public String getPartitionKey() { return partitionKey; }
    public void setPartitionKey(String partitionKey) { this.partitionKey = partitionKey; }
    public OutputTopic getTopic() { return topic; }
    public void setTopic(OutputTopic topic) { this.topic = topic; }

    /** This record, addressed to {@code t}. */
    OutRecord to(OutputTopic t) {
        this.topic = t;
        return this;
    }
}
