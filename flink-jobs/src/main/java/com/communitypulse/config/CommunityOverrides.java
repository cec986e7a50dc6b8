package com.communitypulse.config;

import com.communitypulse.flags.Option;
import com.communitypulse.flags.UsageException;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Per-community thresholds (CONTRACT §5, §6: "configurable globally and per community"), read once at
 * job start from the properties file named by {@code thresholds.overrides}: one line per community
 * and key, {@code <community_id>.<key> = value}, e.g.
 * <pre>
 * c42.at-risk-min = 10d
 * c42.churn-spike.min-count = 25
 * brand-vip.negative-spike.ratio = 0.25
 * </pre>
 * The community id is everything before the longest known key, so ids may contain dots. Unknown
 * keys fail the start with the line at fault; each consumer parses its own keys' values (and names
 * the community in its error). Decision: a file rather than a control topic because thresholds
 * change rarely and a file is reviewable and versioned with the deployment; a change takes effect
 * on restart from a savepoint, which keeps all state.
 */
public final class CommunityOverrides implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Keys of the lifecycle and churn-spike thresholds ({@code LifecycleSettings}). */
    public static final List<String> LIFECYCLE_KEYS = List.of("new-for", "silent-after", "at-risk-min", "at-risk-cadence-factor",
            "churned-after", "churn-spike.min-count", "churn-spike.k");
    /** Keys of the negative-spike thresholds ({@code SpikeSettings}). */
    public static final List<String> NEGATIVE_SPIKE_KEYS = List.of("negative-spike.ratio", "negative-spike.min-messages",
            "negative-spike.min-authors", "negative-spike.baseline-k", "negative-spike.critical-ratio");
    public static final String NEGATIVE_MESSAGE_MAX_SCORE = "negative-message.max-score";

    /** Every key the file may use, with the global option each one overrides. */
    public static final Map<String, Option<?>> KEYS;

    static {
        Map<String, Option<?>> k = new java.util.LinkedHashMap<>();
        k.put("new-for", PulseConfig.LC_NEW_FOR);
        k.put("silent-after", PulseConfig.LC_SILENT_AFTER);
        k.put("at-risk-min", PulseConfig.LC_AT_RISK_MIN);
        k.put("at-risk-cadence-factor", PulseConfig.LC_CADENCE_FACTOR);
        k.put("churned-after", PulseConfig.LC_CHURNED_AFTER);
        k.put("churn-spike.min-count", PulseConfig.CHURN_SPIKE_MIN_COUNT);
        k.put("churn-spike.k", PulseConfig.CHURN_SPIKE_K);
        k.put("negative-spike.ratio", PulseConfig.SPIKE_RATIO);
        k.put("negative-spike.min-messages", PulseConfig.SPIKE_MIN_MESSAGES);
        k.put("negative-spike.min-authors", PulseConfig.SPIKE_MIN_AUTHORS);
        k.put("negative-spike.baseline-k", PulseConfig.SPIKE_BASELINE_K);
        k.put("negative-spike.critical-ratio", PulseConfig.SPIKE_CRITICAL_RATIO);
        k.put(NEGATIVE_MESSAGE_MAX_SCORE, PulseConfig.NEG_MESSAGE_SCORE);
        if (!k.keySet().containsAll(LIFECYCLE_KEYS) || !k.keySet().containsAll(NEGATIVE_SPIKE_KEYS)) {
            throw new IllegalStateException("a family key without its global option");
        }
        KEYS = Collections.unmodifiableMap(k);
    }

    private final String origin;
    private final Map<String, Map<String, String>> byCommunity;

    private CommunityOverrides(String origin, Map<String, Map<String, String>> byCommunity) {
        this.origin = origin;
        this.byCommunity = byCommunity;
    }

    public static CommunityOverrides none() {
        return new CommunityOverrides("", Map.of());
    }

    /** The file named by {@code thresholds.overrides}, or none when it is empty. */
    public static CommunityOverrides from(PulseConfig cfg) {
        String file = cfg.get(PulseConfig.OVERRIDES);
        return file.isBlank() ? none() : read(Path.of(file));
    }

    public static CommunityOverrides read(Path p) {
        String where = PulseConfig.OVERRIDES.key() + " file " + p;
        if (!Files.isRegularFile(p)) {
            throw new UsageException(where + " does not exist: pass an existing properties file or leave it empty");
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException e) {
            throw new UsageException("Cannot read " + where + ": " + e.getMessage());
        }
        Map<String, Map<String, String>> byCommunity = new TreeMap<>();
        for (String name : props.stringPropertyNames()) {
            String key = null;
            for (String k : KEYS.keySet()) {
                if (name.endsWith("." + k) && name.length() > k.length() + 1 && (key == null || k.length() > key.length())) key = k;
            }
            if (key == null) {
                throw new UsageException(where + ": '" + name + "' is not <community_id>.<key> with key one of " + String.join(", ", KEYS.keySet()));
            }
            String community = name.substring(0, name.length() - key.length() - 1);
            String value = props.getProperty(name).trim();
            try {
                KEYS.get(key).parse(value);
            } catch (UsageException | IllegalArgumentException e) {
                throw new UsageException(where + ": '" + name + " = " + value + "': " + e.getMessage());
            }
            byCommunity.computeIfAbsent(community, c -> new HashMap<>()).put(key, value);
        }
        return new CommunityOverrides(where, byCommunity);
    }

    /** Communities that override at least one of {@code keys}. */
    public List<String> communitiesWithAny(List<String> keys) {
        return byCommunity.entrySet().stream().filter(e -> {
            for (String k : keys) if (e.getValue().containsKey(k)) return true;
            return false;
        }).map(Map.Entry::getKey).toList();
    }

    /** The community's value of {@code key} parsed like its global option, or {@code global} when not overridden. */
    @SuppressWarnings("unchecked")
    public <T> T get(String community, String key, T global) {
        Option<?> o = KEYS.get(key);
        if (o == null) throw new IllegalArgumentException("not an override key: " + key);
        String v = byCommunity.getOrDefault(community, Map.of()).get(key);
        return v == null ? global : (T) o.parse(v);
    }

    /** Where the overrides came from, for error messages. */
    public String origin(String community) {
        return origin + " community " + community;
    }
}
