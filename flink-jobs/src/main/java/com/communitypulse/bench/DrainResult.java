package com.communitypulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** What one drain run (full or baseline job over the pre-filled topics) measured. */
record DrainResult(
        String job,
        long records,
        double seconds,
        double startupSeconds,
        double cpuSeconds,
        double load,
        List<RestProbe.VertexTimes> vertices,
        JsonNode checkpoints,
        long maxHeapBytes,
        long maxRssBytes,
        long maxBrokerRssBytes,
        long rocksDbDirBytes,
        boolean caughtUp,
        double commitSeconds,
        long savepointBytes,
        long secondHalfRecords,
        double secondHalfCpuSeconds,
        double jitCpuSeconds) {

    /** Shorter than this, a drain is below the resolution of the REST probe (1 s polls of metrics fetched every second). */
    static final double MIN_TIMED_SECONDS = 3.0;

    /** Whether the drain took long enough to be timed by the probe. */
    boolean timed() {
        return seconds >= MIN_TIMED_SECONDS;
    }

    double rate() {
        return seconds <= 0 ? 0 : records / seconds;
    }

    /** Records per CPU-second of this process (the MiniCluster runs in it): a figure that depends less on other load. */
    double ratePerCpuSecond() {
        return cpuSeconds <= 0 ? 0 : records / cpuSeconds;
    }

    /**
     * Records per CPU-second without the JIT compiler threads' time (0 when not measured): the cost of a
     * long-running job, whose compilation is done in its first minutes; {@link #ratePerCpuSecond()} stays the figure of record.
     */
    double ratePerCpuSecondWithoutJit() {
        return jitCpuSeconds <= 0 || cpuSeconds <= jitCpuSeconds ? 0 : records / (cpuSeconds - jitCpuSeconds);
    }

    /** Records per CPU-second from the moment the sources had read half the input to the end (0 when not measured). */
    double secondHalfPerCpuSecond() {
        // Under a second of CPU is within the probe's sampling error (a fast drain reads half its input by the first poll).
        return secondHalfCpuSeconds < MIN_SECOND_HALF_CPU_SECONDS ? 0 : secondHalfRecords / secondHalfCpuSeconds;
    }

    /** Second halves with less CPU than this are not reported. */
    static final double MIN_SECOND_HALF_CPU_SECONDS = 1.0;

    long checkpointCount() {
        return checkpoints == null ? 0 : checkpoints.path("counts").path("completed").asLong();
    }

    /** A checkpoint summary statistic, e.g. ("end_to_end_duration", "p99"); -1 when unknown. */
    double checkpointStat(String metric, String stat) {
        if (checkpoints == null) return -1;
        JsonNode n = checkpoints.path("summary").path(metric).path(stat);
        return n.isMissingNode() || n.isNull() ? -1 : n.asDouble();
    }

    /** The full state size of the latest completed checkpoint (all operators), or -1. */
    long latestStateSize() {
        if (checkpoints == null) return -1;
        JsonNode n = checkpoints.path("latest").path("completed").path("state_size");
        return n.isMissingNode() ? -1 : n.asLong();
    }

    /** The largest full state size among completed checkpoints, or -1. */
    long maxStateSize() {
        double m = checkpointStat("state_size", "max");
        return m < 0 ? latestStateSize() : (long) m;
    }
}
