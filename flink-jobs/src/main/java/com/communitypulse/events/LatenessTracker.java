package com.communitypulse.events;

import java.util.HashMap;
import java.util.Map;

/**
 * Marks events that are too far behind their own source partition: later than
 * {@code out-of-orderness + allowed lateness} behind the largest event time read so far from the
 * same partition (Kafka partition or input file).
 *
 * <p>Why per partition, in the source: a partition's record order is fixed, so this verdict is
 * the same in every replay, in file mode and on Kafka — unlike a verdict against the job-wide
 * watermark, which depends on how fast each partition happened to be read. It is also consistent
 * with the job's watermark: the job watermark never exceeds a partition's {@code max − ooo}, so an
 * event this check lets through is never dropped by a window. (A second check against the
 * watermark in {@code DeduplicateFunction} catches what this one cannot see after a restore.)
 *
 * <p>Not checkpointed: after a restore the maximum is rebuilt from the replayed records.
 */
public final class LatenessTracker {
    private final long outOfOrdernessMs;
    private final long thresholdMs;
    private final Map<Integer, long[]> maxByPartition = new HashMap<>();

    public LatenessTracker(long outOfOrdernessMs, long allowedLatenessMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.thresholdMs = outOfOrdernessMs + allowedLatenessMs;
    }

    /** Updates the partition's maximum and marks {@code r} late when it is behind by more than the threshold. */
    public ParsedRecord track(int partition, ParsedRecord r) {
        if (!r.isEvent()) {
            return r;
        }
        long ts = r.getEvent().getTs();
        long[] max = maxByPartition.computeIfAbsent(partition, p -> new long[] {Long.MIN_VALUE});
        if (max[0] != Long.MIN_VALUE && ts < max[0] - thresholdMs) {
            r.setLateAt(max[0] - outOfOrdernessMs);
        } else if (ts > max[0]) {
            max[0] = ts;
        }
        return r;
    }
}
