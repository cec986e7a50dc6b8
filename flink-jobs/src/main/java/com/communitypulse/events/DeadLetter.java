package com.communitypulse.events;

/**
 * A record that could not be parsed into a {@link PulseEvent}, bound for {@code pulse.dlq} (CONTRACT §3).
 * Keeps the raw bytes so that an operator can inspect or replay it; {@code rawBase64} is the
 * base64 of exactly the bytes read from the source.
 */
public class DeadLetter {
    private String sourceTopic;
    private int partition;
    private long offset;
    private String reason;
    private String rawBase64;
    private int rawSize;

    public DeadLetter() {}

    public DeadLetter(String sourceTopic, int partition, long offset, String reason, String rawBase64, int rawSize) {
        this.sourceTopic = sourceTopic;
        this.partition = partition;
        this.offset = offset;
        this.reason = reason;
        this.rawBase64 = rawBase64;
        this.rawSize = rawSize;
    }

    public String getSourceTopic() { return sourceTopic; }
    public void setSourceTopic(String sourceTopic) { this.sourceTopic = sourceTopic; }
    public int getPartition() { return partition; }
    public void setPartition(int partition) { this.partition = partition; }
    public long getOffset() { return offset; }
    public void setOffset(long offset) { this.offset = offset; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getRawBase64() { return rawBase64; }
    public void setRawBase64(String rawBase64) { this.rawBase64 = rawBase64; }
    public int getRawSize() { return rawSize; }
    public void setRawSize(int rawSize) { this.rawSize = rawSize; }

    @Override
    public String toString() {
        return "DeadLetter{" + sourceTopic + "/" + partition + "@" + offset + ": " + reason + "}";
    }
}
