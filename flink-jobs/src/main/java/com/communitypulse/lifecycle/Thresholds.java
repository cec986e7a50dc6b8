package com.communitypulse.lifecycle;

import java.io.Serializable;

/** The thresholds that may differ per community (CONTRACT §5, §6: "configurable globally and per community"). */
public final class Thresholds implements Serializable {
    private static final long serialVersionUID = 1L;

    final long newForMs;
    final long silentAfterMs;
    final long atRiskMinMs;
    final double cadenceFactor;
    final long churnedAfterMs;
    final int spikeMinCount;
    final double spikeK;

    Thresholds(long newForMs, long silentAfterMs, long atRiskMinMs, double cadenceFactor, long churnedAfterMs, int spikeMinCount, double spikeK) {
        if (newForMs <= 0 || silentAfterMs <= 0 || atRiskMinMs <= 0 || churnedAfterMs <= 0) {
            throw new IllegalArgumentException("lifecycle durations must be positive");
        }
        if (atRiskMinMs > churnedAfterMs) {
            throw new IllegalArgumentException("at-risk-min must not exceed churned-after");
        }
        if (cadenceFactor < 1 || spikeMinCount < 1 || spikeK < 0) {
            throw new IllegalArgumentException("at-risk-cadence-factor must be >= 1, churn-spike.min-count >= 1, churn-spike.k >= 0");
        }
        this.newForMs = newForMs;
        this.silentAfterMs = silentAfterMs;
        this.atRiskMinMs = atRiskMinMs;
        this.cadenceFactor = cadenceFactor;
        this.churnedAfterMs = churnedAfterMs;
        this.spikeMinCount = spikeMinCount;
        this.spikeK = spikeK;
    }

    /**
     * max(at-risk-min, factor × the member's rhythm: p90 of the quiet stretches between their
     * activity sessions), never beyond the churn period (churned wins then).
     */
    long atRiskAfter(long rhythmGapMs) {
        return Math.min(churnedAfterMs, Math.max(atRiskMinMs, (long) (cadenceFactor * rhythmGapMs)));
    }
}
