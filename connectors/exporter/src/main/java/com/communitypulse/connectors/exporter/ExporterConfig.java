package com.communitypulse.connectors.exporter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.communitypulse.flags.Flags;
import com.communitypulse.flags.Option;
import com.communitypulse.flags.UsageException;
import com.communitypulse.security.KafkaSecurity;
import com.communitypulse.security.SecretException;

/**
 * Typed, validated settings of the exporter. Sources, in increasing precedence: defaults,
 * environment variables {@code PULSE_<KEY>} (dots and dashes become underscores, as for the job)
 * and {@code --key value} flags. Keys shared with the job ({@code kafka.bootstrap-servers},
 * {@code topic.*}, {@code bind-host}) have the same names, so one environment configures both.
 */
public final class ExporterConfig {
    public static final Option<String> BOOTSTRAP = Option.string("kafka.bootstrap-servers", "127.0.0.1:9092", "Kafka bootstrap servers (host:port, comma-separated)");
    public static final Option<String> TOPIC_METRICS = Option.string("topic.metrics", "pulse.metrics", "Metric records to read (read_committed)");
    public static final Option<String> TOPIC_ALERTS = Option.string("topic.alerts", "pulse.alerts", "Alert records to read (read_committed)");
    public static final Option<String> BIND_HOST = Option.string("bind-host", "127.0.0.1", "Address the /metrics endpoint binds to; widen explicitly (e.g. 0.0.0.0 in a container)");
    public static final Option<String> PORT = Option.string("port", "9464", "Port of the /metrics endpoint (0 = any free port)");
    public static final Option<String> TOP_N = Option.string("top-n", "20", "Communities with their own label, by rolling DAU; the rest are summed into community=\"other\"");
    public static final Option<String> MAX_ALERT_COMMUNITIES = Option.string("max-alert-communities", "50",
            "Communities that keep their own alert counter series once they had one (counters must stay monotonic, so a label is never taken back); later ones count under \"other\"");
    public static final Option<String> FROM = Option.string("from", "earliest", "Where to start reading when the exporter starts: earliest (rebuild the gauges from the topics) or latest");

    /** The Kafka security section shared with the job and the dispatcher (same keys; secrets from files or env). */
    public static final List<Option<String>> SECURITY = KafkaSecurity.KEYS.stream()
            .map(k -> Option.string(k.key(), k.defaultValue(), k.description())).collect(java.util.stream.Collectors.toList());

    public static final List<Option<String>> ALL = java.util.stream.Stream.concat(
            List.of(BOOTSTRAP, TOPIC_METRICS, TOPIC_ALERTS, BIND_HOST, PORT, TOP_N, MAX_ALERT_COMMUNITIES, FROM).stream(), SECURITY.stream())
            .collect(java.util.stream.Collectors.toUnmodifiableList());

    private final Map<String, String> values;
    private final Map<String, String> env;
    private KafkaSecurity security;

    private ExporterConfig(Map<String, String> values, Map<String, String> env) {
        this.values = values;
        this.env = env;
    }

    public static ExporterConfig defaults() {
        return parse(List.of(), Map.of());
    }

    /** Parses {@code --key value} / {@code --key=value} flags over environment over defaults; throws {@link UsageException} with a one-line message. */
    public static ExporterConfig parse(List<String> args, Map<String, String> env) {
        Flags.Parsed flags = Flags.of(ALL).help("pulse exporter --help").parse(args);
        Map<String, String> v = new LinkedHashMap<>();
        for (Option<String> o : ALL) {
            v.put(o.key(), env.getOrDefault(o.envName(), o.defaultValue()));
        }
        v.putAll(flags.values());
        ExporterConfig c = new ExporterConfig(v, env);
        c.validate();
        return c;
    }

    private void validate() {
        integer(PORT, 0, 65535);
        integer(TOP_N, 1, 1000);
        integer(MAX_ALERT_COMMUNITIES, 0, 10_000);
        for (Option<String> o : List.of(BOOTSTRAP, TOPIC_METRICS, TOPIC_ALERTS, BIND_HOST)) {
            if (get(o).isBlank()) {
                throw new UsageException("--" + o.key() + " must not be empty");
            }
        }
        if (!get(FROM).equals("earliest") && !get(FROM).equals("latest")) {
            throw new UsageException("invalid value '" + get(FROM) + "' for --from: use earliest or latest");
        }
        try {
            security = KafkaSecurity.from(values::get, env::get);
        } catch (SecretException e) { // one line, no secret; a usage error as in the job and the dispatcher
            throw new UsageException(e.getMessage());
        }
    }

    /** The validated Kafka security section (secrets already loaded from their files or environment variables). */
    public KafkaSecurity security() {
        return security;
    }

    public String get(Option<String> o) {
        return values.get(o.key());
    }

    public int integer(Option<String> o) {
        return Integer.parseInt(get(o));
    }

    private void integer(Option<String> o, int min, int max) {
        String s = get(o);
        int v;
        try {
            v = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("invalid value '" + s + "' for --" + o.key() + ": use an integer in [" + min + ", " + max + "]");
        }
        if (v < min || v > max) {
            throw new UsageException("invalid value '" + s + "' for --" + o.key() + ": use an integer in [" + min + ", " + max + "]");
        }
        values.put(o.key(), Integer.toString(v));
    }

    /** A copy with one key changed (tests, embedded runs). */
    public ExporterConfig with(Option<String> o, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(o.key(), value);
        ExporterConfig c = new ExporterConfig(v, env);
        c.validate();
        return c;
    }
}
