package com.communitypulse.lifecycle;

import com.communitypulse.config.CommunityOverrides;
import com.communitypulse.flags.UsageException;
import com.communitypulse.config.PulseConfig;
import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings of {@link LifecycleFunction} and {@link ChurnSpikeFunction}, read once in the client
 * from {@link PulseConfig} (keys {@code lifecycle.*}, {@code alerts.churn-spike.*}) and shipped to
 * the operators as a value.
 *
 * <p><b>Per-community overrides</b> of the thresholds come from the file named by
 * {@code thresholds.overrides} ({@link CommunityOverrides}), keys {@code new-for},
 * {@code silent-after}, {@code at-risk-min}, {@code at-risk-cadence-factor}, {@code churned-after},
 * {@code churn-spike.min-count}, {@code churn-spike.k}.
 */
public final class LifecycleSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    final Thresholds global;
    final Map<String, Thresholds> perCommunity;
    final long retentionMs;
    final int historyDays;
    final long buyerWindowMs;
    final int valuableActiveDays;
    final int valuableReceived;
    final int alertMinActiveDays;
    final String zone;
    final long spikeHalfLifeMs;
    final long spikeRetentionMs;

    LifecycleSettings(Thresholds global, Map<String, Thresholds> perCommunity, long retentionMs, int historyDays, long buyerWindowMs,
                      int valuableActiveDays, int valuableReceived, int alertMinActiveDays, String zone, long spikeHalfLifeMs,
                      long spikeRetentionMs) {
        if (retentionMs < global.churnedAfterMs) {
            throw new IllegalArgumentException("retention must be at least churned-after");
        }
        for (Thresholds t : perCommunity.values()) {
            if (retentionMs < t.churnedAfterMs) throw new IllegalArgumentException("retention must be at least every churned-after");
        }
        this.global = global;
        this.perCommunity = new HashMap<>(perCommunity);
        this.retentionMs = retentionMs;
        this.historyDays = historyDays;
        this.buyerWindowMs = buyerWindowMs;
        this.valuableActiveDays = valuableActiveDays;
        this.valuableReceived = valuableReceived;
        this.alertMinActiveDays = alertMinActiveDays;
        this.zone = ZoneId.of(zone).getId();
        this.spikeHalfLifeMs = spikeHalfLifeMs;
        this.spikeRetentionMs = spikeRetentionMs;
    }

    public static LifecycleSettings from(PulseConfig cfg) {
        return from(cfg, CommunityOverrides.from(cfg));
    }

    public static LifecycleSettings from(PulseConfig cfg, CommunityOverrides overrides) {
        Thresholds g = new Thresholds(cfg.millis(PulseConfig.LC_NEW_FOR), cfg.millis(PulseConfig.LC_SILENT_AFTER),
                cfg.millis(PulseConfig.LC_AT_RISK_MIN), cfg.get(PulseConfig.LC_CADENCE_FACTOR), cfg.millis(PulseConfig.LC_CHURNED_AFTER),
                cfg.get(PulseConfig.CHURN_SPIKE_MIN_COUNT), cfg.get(PulseConfig.CHURN_SPIKE_K));
        Map<String, Thresholds> per = perCommunity(overrides, g);
        try {
            return new LifecycleSettings(g, per, cfg.millis(PulseConfig.LC_RETENTION), cfg.get(PulseConfig.LC_HISTORY_DAYS),
                    cfg.millis(PulseConfig.LC_BUYER_WINDOW), cfg.get(PulseConfig.LC_VALUABLE_ACTIVE_DAYS), cfg.get(PulseConfig.LC_VALUABLE_RECEIVED),
                    cfg.get(PulseConfig.LC_ALERT_MIN_ACTIVE_DAYS), cfg.get(PulseConfig.TIMEZONE).getId(),
                    cfg.millis(PulseConfig.CHURN_SPIKE_HALF_LIFE), cfg.millis(PulseConfig.CHURN_SPIKE_RETENTION));
        } catch (IllegalArgumentException e) {
            throw new UsageException("Invalid lifecycle settings: " + e.getMessage());
        }
    }

    static Map<String, Thresholds> perCommunity(CommunityOverrides o, Thresholds g) {
        Map<String, Thresholds> out = new HashMap<>();
        for (String c : o.communitiesWithAny(CommunityOverrides.LIFECYCLE_KEYS)) {
            try {
                out.put(c, new Thresholds(
                        o.get(c, "new-for", Duration.ofMillis(g.newForMs)).toMillis(),
                        o.get(c, "silent-after", Duration.ofMillis(g.silentAfterMs)).toMillis(),
                        o.get(c, "at-risk-min", Duration.ofMillis(g.atRiskMinMs)).toMillis(),
                        o.get(c, "at-risk-cadence-factor", g.cadenceFactor),
                        o.get(c, "churned-after", Duration.ofMillis(g.churnedAfterMs)).toMillis(),
                        o.get(c, "churn-spike.min-count", g.spikeMinCount),
                        o.get(c, "churn-spike.k", g.spikeK)));
            } catch (IllegalArgumentException ex) {
                throw new UsageException(o.origin(c) + ": " + ex.getMessage());
            }
        }
        return out;
    }

    Thresholds of(String community) {
        Thresholds t = perCommunity.get(community);
        return t == null ? global : t;
    }

    /** Settings with the defaults of {@link PulseConfig} (tests). */
    public static LifecycleSettings defaults() {
        return from(PulseConfig.defaults());
    }
}
