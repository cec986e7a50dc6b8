package com.communitypulse.alerts;

import com.communitypulse.config.CommunityOverrides;
import com.communitypulse.config.PulseConfig;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Thresholds of {@link NegativeSpikeFunction}, read once from {@link PulseConfig} (keys
 * {@code alerts.negative-spike.*}), with per-community values of the entry thresholds from
 * {@code thresholds.overrides} ({@link CommunityOverrides}: {@code negative-spike.ratio},
 * {@code .min-messages}, {@code .min-authors}, {@code .baseline-k}, {@code .critical-ratio}).
 */
public final class SpikeSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Floor of the baseline stddev: a community whose ratio never moved must not alert on the first wobble. */
    public static final double MIN_STDDEV = 0.05;

    final long windowMs;
    final double ratio;
    final int minMessages;
    final int minAuthors;
    final double baselineK;
    final long baselineHalfLifeMs;
    final int baselineMinSamples;
    final double hysteresis;
    final long resolveAfterMs;
    final double criticalRatio;
    final long retentionMs;
    final double significance;
    final double priorRatio;
    private final Map<String, SpikeSettings> perCommunity = new HashMap<>();


    public SpikeSettings(long windowMs, double ratio, int minMessages, int minAuthors, double baselineK, long baselineHalfLifeMs,
                         int baselineMinSamples, double hysteresis, long resolveAfterMs, double criticalRatio, long retentionMs,
                         double significance, double priorRatio) {
        if (windowMs < 60_000L || windowMs % 60_000L != 0) {
            throw new IllegalArgumentException("window must be whole minutes");
        }
        if (baselineHalfLifeMs < windowMs || retentionMs < windowMs) {
            throw new IllegalArgumentException("baseline half-life and retention must be at least one window");
        }
        this.windowMs = windowMs;
        this.ratio = ratio;
        this.minMessages = minMessages;
        this.minAuthors = minAuthors;
        this.baselineK = baselineK;
        this.baselineHalfLifeMs = baselineHalfLifeMs;
        this.baselineMinSamples = baselineMinSamples;
        this.hysteresis = hysteresis;
        this.resolveAfterMs = resolveAfterMs;
        this.criticalRatio = criticalRatio;
        this.retentionMs = retentionMs;
        this.significance = significance;
        this.priorRatio = priorRatio;
    }

    public static SpikeSettings from(PulseConfig cfg) {
        return from(cfg, CommunityOverrides.from(cfg));
    }

    public static SpikeSettings from(PulseConfig cfg, CommunityOverrides o) {
        SpikeSettings g = new SpikeSettings(cfg.millis(PulseConfig.SPIKE_WINDOW), cfg.get(PulseConfig.SPIKE_RATIO),
                cfg.get(PulseConfig.SPIKE_MIN_MESSAGES), cfg.get(PulseConfig.SPIKE_MIN_AUTHORS), cfg.get(PulseConfig.SPIKE_BASELINE_K),
                cfg.millis(PulseConfig.SPIKE_BASELINE_HALF_LIFE), cfg.get(PulseConfig.SPIKE_BASELINE_MIN_SAMPLES),
                cfg.get(PulseConfig.SPIKE_HYSTERESIS), cfg.millis(PulseConfig.SPIKE_RESOLVE_AFTER), cfg.get(PulseConfig.SPIKE_CRITICAL_RATIO),
                cfg.millis(PulseConfig.SPIKE_BASELINE_RETENTION), cfg.get(PulseConfig.SPIKE_SIGNIFICANCE), cfg.get(PulseConfig.SPIKE_PRIOR_RATIO));
        for (String c : o.communitiesWithAny(CommunityOverrides.NEGATIVE_SPIKE_KEYS)) {
            g.perCommunity.put(c, new SpikeSettings(g.windowMs, o.get(c, "negative-spike.ratio", g.ratio),
                    o.get(c, "negative-spike.min-messages", g.minMessages), o.get(c, "negative-spike.min-authors", g.minAuthors),
                    o.get(c, "negative-spike.baseline-k", g.baselineK), g.baselineHalfLifeMs, g.baselineMinSamples, g.hysteresis,
                    g.resolveAfterMs, o.get(c, "negative-spike.critical-ratio", g.criticalRatio), g.retentionMs, g.significance, g.priorRatio));
        }
        return g;
    }

    /** The settings that apply to {@code community}: its overrides, else these. */
    SpikeSettings of(String community) {
        SpikeSettings c = perCommunity.get(community);
        return c == null ? this : c;
    }

    /**
     * Whether {@code negative} of {@code scored} messages is improbable at a usual negative share
     * {@code p}: the one-sided binomial tail P(X ≥ negative) is at most {@code significance}.
     * Summed in log space from the observed count up, stopping once terms no longer matter.
     */
    boolean significant(int negative, int scored, double p) {
        if (significance >= 1.0) return true;
        if (p <= 0) return negative > 0;
        if (p >= 1) return false;
        double logP = Math.log(p);
        double logQ = Math.log1p(-p);
        double tail = 0;
        double logTerm = logChoose(scored, negative) + negative * logP + (scored - negative) * logQ;
        for (int k = negative; k <= scored; k++) {
            double term = Math.exp(logTerm);
            tail += term;
            if (tail > significance) return false;
            if (term < tail * 1e-12) break;
            // C(n, k+1) / C(n, k) = (n - k) / (k + 1)
            logTerm += Math.log((double) (scored - k) / (k + 1)) + logP - logQ;
        }
        return true;
    }

    private static double logChoose(int n, int k) {
        double r = 0;
        for (int i = 1; i <= k; i++) r += Math.log((double) (n - k + i) / i);
        return r;
    }

    /** Weight of a new window ratio in the exponentially weighted baseline. */
    double alpha() {
        double windowsPerHalfLife = (double) baselineHalfLifeMs / windowMs;
        return 1.0 - Math.pow(0.5, 1.0 / windowsPerHalfLife);
    }
}
