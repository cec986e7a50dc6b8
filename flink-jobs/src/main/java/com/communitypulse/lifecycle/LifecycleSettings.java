package com.communitypulse.lifecycle;

import com.communitypulse.config.ConfigException;
import com.communitypulse.config.Option;
import com.communitypulse.config.PulseConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Settings of {@link LifecycleFunction} and {@link ChurnSpikeFunction}, read once in the client
 * from {@link PulseConfig} (keys {@code lifecycle.*}, {@code alerts.churn-spike.*}) and shipped to
 * the operators as a value.
 *
 * <p><b>Per-community overrides</b> come from the properties file named by
 * {@code lifecycle.overrides}: one line per community and key, {@code <community_id>.<key> = value},
 * e.g. {@code c42.at-risk-min = 10d} or {@code c42.churn-spike.min-count = 25}. Keys:
 * {@code new-for}, {@code silent-after}, {@code at-risk-min}, {@code at-risk-cadence-factor},
 * {@code churned-after}, {@code churn-spike.min-count}, {@code churn-spike.k}; values are parsed
 * like the global options. The file is read at job start (a change needs a restart from a savepoint,
 * which keeps all state); unknown keys and bad values fail the start with the line at fault.
 * Decision: a file rather than a control topic because thresholds change rarely and a file
 * is reviewable and versioned with the deployment.
 */
public final class LifecycleSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String[] OVERRIDE_KEYS = {"new-for", "silent-after", "at-risk-min", "at-risk-cadence-factor", "churned-after",
            "churn-spike.min-count", "churn-spike.k"};

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
        Thresholds g = new Thresholds(cfg.millis(PulseConfig.LC_NEW_FOR), cfg.millis(PulseConfig.LC_SILENT_AFTER),
                cfg.millis(PulseConfig.LC_AT_RISK_MIN), cfg.get(PulseConfig.LC_CADENCE_FACTOR), cfg.millis(PulseConfig.LC_CHURNED_AFTER),
                cfg.get(PulseConfig.CHURN_SPIKE_MIN_COUNT), cfg.get(PulseConfig.CHURN_SPIKE_K));
        String file = cfg.get(PulseConfig.LC_OVERRIDES);
        Map<String, Thresholds> per = file.isBlank() ? Map.of() : readOverrides(Path.of(file), g);
        try {
            return new LifecycleSettings(g, per, cfg.millis(PulseConfig.LC_RETENTION), cfg.get(PulseConfig.LC_HISTORY_DAYS),
                    cfg.millis(PulseConfig.LC_BUYER_WINDOW), cfg.get(PulseConfig.LC_VALUABLE_ACTIVE_DAYS), cfg.get(PulseConfig.LC_VALUABLE_RECEIVED),
                    cfg.get(PulseConfig.LC_ALERT_MIN_ACTIVE_DAYS), cfg.get(PulseConfig.TIMEZONE).getId(),
                    cfg.millis(PulseConfig.CHURN_SPIKE_HALF_LIFE), cfg.millis(PulseConfig.CHURN_SPIKE_RETENTION));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid lifecycle settings: " + e.getMessage());
        }
    }

    /** Parses the overrides file: {@code <community_id>.<key> = value}; the community id is everything before the key. */
    static Map<String, Thresholds> readOverrides(Path p, Thresholds g) {
        if (!Files.isRegularFile(p)) {
            throw new ConfigException("lifecycle.overrides file " + p + " does not exist: pass an existing properties file or leave it empty");
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException e) {
            throw new ConfigException("Cannot read lifecycle.overrides file " + p + ": " + e.getMessage());
        }
        Map<String, Map<String, String>> byCommunity = new TreeMap<>();
        for (String name : props.stringPropertyNames()) {
            String key = null;
            for (String k : OVERRIDE_KEYS) {
                if (name.endsWith("." + k) && name.length() > k.length() + 1 && (key == null || k.length() > key.length())) key = k;
            }
            if (key == null) {
                throw new ConfigException("lifecycle.overrides " + p + ": '" + name + "' is not <community_id>.<key> with key one of "
                        + String.join(", ", OVERRIDE_KEYS));
            }
            String community = name.substring(0, name.length() - key.length() - 1);
            byCommunity.computeIfAbsent(community, c -> new HashMap<>()).put(key, props.getProperty(name).trim());
        }
        Map<String, Thresholds> out = new HashMap<>();
        for (Map.Entry<String, Map<String, String>> e : byCommunity.entrySet()) {
            Map<String, String> m = e.getValue();
            String where = "lifecycle.overrides " + p + " community " + e.getKey();
            try {
                out.put(e.getKey(), new Thresholds(
                        dur(m, "new-for", g.newForMs, where), dur(m, "silent-after", g.silentAfterMs, where),
                        dur(m, "at-risk-min", g.atRiskMinMs, where),
                        m.containsKey("at-risk-cadence-factor") ? PulseConfig.LC_CADENCE_FACTOR.parse(m.get("at-risk-cadence-factor")) : g.cadenceFactor,
                        dur(m, "churned-after", g.churnedAfterMs, where),
                        m.containsKey("churn-spike.min-count") ? PulseConfig.CHURN_SPIKE_MIN_COUNT.parse(m.get("churn-spike.min-count")) : g.spikeMinCount,
                        m.containsKey("churn-spike.k") ? PulseConfig.CHURN_SPIKE_K.parse(m.get("churn-spike.k")) : g.spikeK));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(where + ": " + ex.getMessage());
            }
        }
        return out;
    }

    private static long dur(Map<String, String> m, String key, long def, String where) {
        String v = m.get(key);
        return v == null ? def : Option.parseDuration(where + " " + key, v).toMillis();
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
