package com.communitypulse.events;

import java.util.HashMap;
import java.util.Map;

/**
 * Marks events that are too far behind their own source partition: later than
 * {@code out-of-orderness + allowed lateness} behind the largest event time read so far from the
 * same partition (a Kafka partition, or an input file as partition 0 of its topic).
 *
 * <p>Why per partition: a partition's record order is fixed, so this verdict is the same in every
 * replay, in file mode and on Kafka — unlike a verdict against the job-wide watermark, which
 * depends on how fast each partition happened to be read. It is also consistent with the job's
 * watermark: the job watermark never exceeds a partition's {@code max − ooo}, so an event this
 * check lets through is never dropped by a window. (The second check, against the job watermark in
 * {@code DeduplicateFunction}, can only fire when the job watermark ran ahead of a partition that
 * was idle or newly added: wall-clock effects this check cannot see.)
 *
 * <p>The verdict only stays the same across a restore if the maxima are restored with the source
 * offsets: the router ({@code RouteInputFunction}) checkpoints them ({@link #forEach},
 * {@link #restore}). Without that, a late record replayed right after the restored offset would be
 * judged against an empty maximum and counted.
 *
 * <p>Pure logic, not thread-safe; one instance per router subtask.
 */
public final class LatenessTracker {
    /** Returned by {@link #judge} for an event that is not late. */
    public static final long ON_TIME = Long.MIN_VALUE;

    /** One source partition. */
    public record Partition(String topic, int partition) {}

    private final long outOfOrdernessMs;
    private final long thresholdMs;
    private final Map<Partition, long[]> maxByPartition = new HashMap<>();
    // Records come in runs from one partition (a Kafka fetch, a file): skip the key allocation and lookup.
    private String lastTopic;
    private int lastPartition;
    private long[] lastMax;

    public LatenessTracker(long outOfOrdernessMs, long allowedLatenessMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.thresholdMs = outOfOrdernessMs + allowedLatenessMs;
    }

    /**
     * Judges an event at {@code ts} read from {@code topic}/{@code partition} and updates that
     * partition's maximum. Returns {@link #ON_TIME}, or for a late event the partition's watermark
     * ({@code max − out-of-orderness}) it is behind.
     */
    public long judge(String topic, int partition, long ts) {
        long[] max = slot(topic, partition);
        if (max[0] != Long.MIN_VALUE && ts < max[0] - thresholdMs) {
            return max[0] - outOfOrdernessMs;
        }
        if (ts > max[0]) {
            max[0] = ts;
        }
        return ON_TIME;
    }

    /**
     * Merges a checkpointed maximum. Keeps the larger one when the partition is already known: every
     * copy is the maximum of a prefix of the same partition's records, so the largest is the latest.
     */
    public void restore(String topic, int partition, long maxTs) {
        long[] max = slot(topic, partition);
        if (maxTs > max[0]) {
            max[0] = maxTs;
        }
    }

    /** A copy of every known partition's maximum event time (partitions without an event yet are left out). */
    public Map<Partition, Long> maxima() {
        Map<Partition, Long> m = new HashMap<>();
        maxByPartition.forEach((p, max) -> {
            if (max[0] != Long.MIN_VALUE) m.put(p, max[0]);
        });
        return m;
    }

    private long[] slot(String topic, int partition) {
        if (lastMax != null && partition == lastPartition && java.util.Objects.equals(topic, lastTopic)) {
            return lastMax;
        }
        long[] max = maxByPartition.computeIfAbsent(new Partition(topic, partition), p -> new long[] {Long.MIN_VALUE});
        lastTopic = topic;
        lastPartition = partition;
        lastMax = max;
        return max;
    }
}
