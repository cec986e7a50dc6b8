package com.communitypulse.config;

import com.communitypulse.flags.Flags;
import com.communitypulse.flags.Option;
import com.communitypulse.flags.UsageException;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The job's typed configuration, parsed and validated once (in the client) and then shipped to
 * the operators as an immutable value.
 *
 * <p>Sources, in increasing precedence: defaults, a properties file ({@code --config FILE}),
 * environment variables {@code PULSE_<KEY>} (dots and dashes become underscores, e.g.
 * {@code PULSE_KAFKA_BOOTSTRAP_SERVERS}), and {@code --key value} flags. Unknown keys are errors
 * (a typo must not silently fall back to a default).
 */
public final class PulseConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    // ==== Kafka: brokers, topics, where sources start, how sinks commit ====
    public static final Option<String> BOOTSTRAP = Option.string("kafka.bootstrap-servers", "127.0.0.1:9092", "Kafka bootstrap servers (host:port, comma-separated)");
    public static final Option<String> GROUP_ID = Option.string("kafka.group-id", "community-pulse", "Consumer group id of the job's sources (offsets are committed on checkpoints)");
    public static final Option<String> TOPIC_MESSAGES = Option.string("topic.messages", "pulse.messages", "Input topic: message events");
    public static final Option<String> TOPIC_CLICKS = Option.string("topic.clicks", "pulse.clicks", "Input topic: click events");
    public static final Option<String> TOPIC_ORDERS = Option.string("topic.orders", "pulse.orders", "Input topic: order events");
    public static final Option<String> TOPIC_METRICS = Option.string("topic.metrics", "pulse.metrics", "Output topic: window and rolling metric records (exactly-once)");
    public static final Option<String> TOPIC_LIFECYCLE = Option.string("topic.lifecycle", "pulse.lifecycle", "Output topic: member lifecycle transitions (exactly-once)");
    public static final Option<String> TOPIC_ALERTS = Option.string("topic.alerts", "pulse.alerts", "Output topic: alerts (at-least-once, deterministic alert_id)");
    public static final Option<String> TOPIC_DLQ = Option.string("topic.dlq", "pulse.dlq", "Output topic: dead letters (raw bytes, reason, source position)");
    public static final Option<String> TOPIC_LATE = Option.string("topic.late", "pulse.late", "Output topic: events later than the allowed lateness");
    public static final Option<String> STARTING_OFFSETS = Option.string("kafka.starting-offsets", "committed-or-earliest", "Where sources start without a checkpoint: committed-or-earliest, earliest, latest");
    public static final Option<Boolean> BOUNDED = Option.bool("kafka.bounded", false, "Stop at the offsets that were latest at start (replays and tests)");
    public static final Option<Boolean> ALERTS_EXACTLY_ONCE = Option.bool("kafka.alerts-exactly-once", false, "Write pulse.alerts in transactions (visible to read_committed consumers only at checkpoints) instead of at-least-once (visible at once; consumers de-duplicate on alert_id, CONTRACT §9)");
    public static final Option<Duration> TX_TIMEOUT = Option.duration("kafka.transaction-timeout", "10m", "Kafka transaction timeout of the exactly-once sinks; must not exceed the broker's transaction.max.timeout.ms (default 15m)");

    // ==== Parallelism and event time: watermarks, lateness, de-duplication ====
    public static final Option<Integer> PARALLELISM = Option.integer("parallelism", 2, 1, 1024, "Default operator parallelism");
    public static final Option<Integer> MAX_PARALLELISM = Option.integer("max-parallelism", 128, 1, 32768, "Max parallelism (key groups); fixed so that savepoints can be rescaled");
    public static final Option<Duration> OUT_OF_ORDERNESS = Option.duration("watermark.out-of-orderness", "10s", "Bounded out-of-orderness of event time per source partition");
    public static final Option<Integer> WATERMARK_EVERY_RECORDS = Option.integer("watermark.every-records", 1024, 1, 1_000_000, "A partition's records move the watermark at most once per this many records (and 1 s of event time); the periodic emit covers slow partitions");
    public static final Option<Duration> IDLENESS = Option.duration("watermark.idleness", "30s", "A partition without records for this long stops holding back the watermark");
    public static final Option<Duration> ALIGNMENT_DRIFT = Option.duration("watermark.alignment-drift", "0s", "If > 0, sources pause partitions that run ahead of the slowest by more than this (bounds state when replaying very uneven partitions; costs throughput). 0 = off");
    public static final Option<Duration> ALLOWED_LATENESS = Option.duration("allowed-lateness", "5m", "Events up to this far behind the watermark still update results (re-emitted with a higher revision); later ones go to the late topic");
    public static final Option<Duration> DEDUP_HORIZON = Option.duration("dedup.horizon", "15m", "How long past an event's time its event_id is remembered; must be at least allowed-lateness");

    // ==== Metrics: windows, rolling gauges, attribution, top contributors, calendar days ====
    public static final Option<Duration> WINDOW = Option.duration("metrics.window", "1m", "Size of the tumbling metric windows (an hourly and a daily roll-up are always emitted)");
    public static final Option<Duration> ROLLING_EMIT = Option.duration("metrics.rolling-emit-interval", "1m", "Rolling gauges are emitted on change at most once per this much event time per community");
    public static final Option<Duration> ATTRIBUTION_WINDOW = Option.duration("metrics.attribution-window", "24h", "An order without community_id/share_id belongs to the user's latest community click within this window");
    public static final Option<Integer> TOP_N = Option.integer("metrics.top-n", 10, 1, 1000, "Top contributors per community and day");
    public static final Option<ZoneId> TIMEZONE = Option.zone("metrics.timezone", "Asia/Shanghai", "Time zone of calendar days (retention, top contributors, daily roll-up)");

    // ==== Checkpoints, state and the local runtime (MiniCluster memory, web UI, Prometheus endpoint) ====
    public static final Option<Duration> CHECKPOINT_INTERVAL = Option.duration("checkpoint.interval", "10s", "Checkpoint interval (exactly-once output becomes visible at checkpoints)");
    public static final Option<Boolean> CHECKPOINT_UNALIGNED = Option.bool("checkpoint.unaligned", true, "Unaligned checkpoints: barriers overtake records buffered under back-pressure (which go into the checkpoint), so a checkpoint never waits behind them; still exactly-once. false = aligned checkpoints");
    public static final Option<Duration> CHECKPOINT_ALIGNED_TIMEOUT = Option.duration("checkpoint.aligned-timeout", "0s", "With checkpoint.unaligned: how long a barrier first waits as an aligned one before it overtakes (0 = at once; a longer wait keeps in-flight data out of checkpoints when back-pressure is brief, and delays every checkpoint under sustained back-pressure by as much)");
    public static final Option<Long> LOCAL_MANAGED_MEMORY = memory("state.local-managed-memory", "768m", 64L << 20, "Managed (off-heap) memory of a local run's MiniCluster (run, process, demo, bench), shared by RocksDB's block cache and write buffers; on a cluster taskmanager.memory.managed.size decides");
    public static final Option<String> TIMER_STORE = Option.choice("state.timer-store", "rocksdb", List.of("heap", "rocksdb"), "Where event-time timers live: heap (fast to register and fire, but written whole, synchronously, into every checkpoint) or rocksdb (incremental like all other state)");
    public static final Option<String> CHECKPOINT_DIR = Option.string("checkpoint.dir", "file:///tmp/pulse/checkpoints", "Durable checkpoint storage URI");
    public static final Option<String> SAVEPOINT_DIR = Option.string("savepoint.dir", "file:///tmp/pulse/savepoints", "Default savepoint directory");
    public static final Option<Integer> CHECKPOINTS_RETAINED = Option.integer("checkpoint.retained", 3, 1, 100, "Completed checkpoints kept (and kept after cancellation): a job can resume from the latest, or an older one if the latest is damaged");
    public static final Option<Integer> PROMETHEUS_PORT = Option.integer("metrics.prometheus-port", 9249, 0, 65535, "Port of Flink's Prometheus reporter (0 = disabled)");
    public static final Option<Boolean> KAFKA_CLIENT_METRICS = Option.bool("metrics.kafka-client-metrics", false, "Also register every Kafka client metric (about a hundred per producer and consumer, ten producers and six consumers per parallel instance) with Flink's metric system; off: the dashboards and rules use Flink's own source and sink metrics (pendingRecords, numRecordsOut, ...), and the client metrics would multiply the size of every Prometheus scrape");
    public static final Option<String> BIND_HOST = Option.string("bind-host", "127.0.0.1", "Address the Flink web UI and Prometheus endpoints bind to; widen explicitly");
    public static final Option<Integer> WEB_PORT = Option.integer("web.port", 8081, 0, 65535, "Flink web UI port for local runs (0 = any free port)");

    // ==== Input limits and sentiment scoring ====
    public static final Option<Integer> MAX_RECORD_BYTES = Option.integer("input.max-record-bytes", 65536, 256, 16 * 1024 * 1024, "Larger input records are dead-lettered");
    public static final Option<Integer> MAX_TEXT_CHARS = Option.integer("input.max-text-chars", 4000, 1, 1_000_000, "Messages with longer text are dead-lettered");
    public static final Option<String> SENTIMENT_MODEL = Option.string("sentiment.model", "", "Sentiment scorer: empty = the bundled model (lexicon + learned), lexicon = the lexicon alone, else a model file from pulse sentiment train");

    // ==== Alerts: NEGATIVE_MESSAGE and NEGATIVE_SPIKE ====
    public static final Option<Double> NEG_MESSAGE_SCORE = Option.decimal("alerts.negative-message.max-score", -0.6, -1.0, 0.0, "NEGATIVE_MESSAGE: a negative member message alerts when its most negative complaint clause (with a moderation category in complaint sense) scores at most this (see docs/SEMANTICS.md, *How negative-message alerts decide*)");
    public static final Option<Duration> NEG_MESSAGE_INTERVAL = Option.duration("alerts.negative-message.interval", "5m", "NEGATIVE_MESSAGE rate limit: at most one alert per community per this much event time; further hits are folded into one digest alert with a count");
    public static final Option<Duration> SPIKE_WINDOW = Option.duration("alerts.negative-spike.window", "15m", "NEGATIVE_SPIKE: trailing window of the negative ratio (whole minutes); also the bucket size of the baseline");
    public static final Option<Double> SPIKE_RATIO = Option.decimal("alerts.negative-spike.ratio", 0.4, 0.0, 1.0, "NEGATIVE_SPIKE: negative / scored member messages in the window must reach this (the global threshold)");
    public static final Option<Integer> SPIKE_MIN_MESSAGES = Option.integer("alerts.negative-spike.min-messages", 10, 1, 1_000_000, "NEGATIVE_SPIKE: minimum scored member messages in the window");
    public static final Option<Integer> SPIKE_MIN_AUTHORS = Option.integer("alerts.negative-spike.min-authors", 3, 1, 10_000, "NEGATIVE_SPIKE: minimum distinct authors of negative messages in the window (one member flooding does not fire)");
    public static final Option<Double> SPIKE_BASELINE_K = Option.decimal("alerts.negative-spike.baseline-k", 3.0, 0.0, 100.0, "NEGATIVE_SPIKE: once the baseline is mature the ratio must also reach baseline mean + k x max(stddev, 0.05)");
    public static final Option<Duration> SPIKE_BASELINE_HALF_LIFE = Option.duration("alerts.negative-spike.baseline-half-life", "3d", "NEGATIVE_SPIKE: half-life of the exponentially weighted baseline of the windowed ratio");
    public static final Option<Integer> SPIKE_BASELINE_MIN_SAMPLES = Option.integer("alerts.negative-spike.baseline-min-samples", 16, 1, 100_000, "NEGATIVE_SPIKE: windows (with at least min-messages) before the baseline is used; until then only the global ratio applies");
    public static final Option<Double> SPIKE_HYSTERESIS = Option.decimal("alerts.negative-spike.hysteresis", 0.1, 0.0, 1.0, "NEGATIVE_SPIKE: a firing episode resolves once the ratio stays below the current entry level minus this (or activity falls below min-messages)");
    public static final Option<Duration> SPIKE_RESOLVE_AFTER = Option.duration("alerts.negative-spike.resolve-after", "5m", "NEGATIVE_SPIKE: how long the calm condition must hold before the episode is resolved (no flapping)");
    public static final Option<Double> SPIKE_CRITICAL_RATIO = Option.decimal("alerts.negative-spike.critical-ratio", 0.6, 0.0, 1.0, "NEGATIVE_SPIKE: a firing spike at or above this ratio is critical, else warning");
    public static final Option<Duration> SPIKE_BASELINE_RETENTION = Option.duration("alerts.negative-spike.baseline-retention", "7d", "NEGATIVE_SPIKE: a community's baseline is dropped after this long without messages (state end of life)");
    public static final Option<Double> SPIKE_SIGNIFICANCE = Option.decimal("alerts.negative-spike.significance", 0.0001, 0.0, 1.0, "NEGATIVE_SPIKE: the window's negative count must also be this improbable (one-sided binomial tail) at the community's usual negative share (its baseline mean; while young the larger of prior-ratio and the young mean): a few complaints among a dozen messages are chance, not a spike. Small because the window is tested every minute. 1 = off");
    public static final Option<Double> SPIKE_PRIOR_RATIO = Option.decimal("alerts.negative-spike.prior-ratio", 0.1, 0.0, 1.0, "NEGATIVE_SPIKE: usual negative share assumed for the significance test until the community's baseline is mature");

    // ==== Lifecycle: states, valuable members, MEMBER_AT_RISK ====
    public static final Option<Duration> LC_NEW_FOR = Option.duration("lifecycle.new-for", "7d", "Lifecycle: a member is new for this long after joining");
    public static final Option<Duration> LC_SILENT_AFTER = Option.duration("lifecycle.silent-after", "7d", "Lifecycle: no post/comment/reply for this long (but not yet at risk) makes a member silent");
    public static final Option<Duration> LC_AT_RISK_MIN = Option.duration("lifecycle.at-risk-min", "7d", "Lifecycle: at_risk after no activity for max(this, cadence-factor x p90 of the member's quiet stretches between activity sessions)");
    public static final Option<Double> LC_CADENCE_FACTOR = Option.decimal("lifecycle.at-risk-cadence-factor", 3.0, 1.0, 100.0, "Lifecycle: multiple of the member's own p90 gap between activity sessions (no break over 12 h) that marks at_risk");
    public static final Option<Duration> LC_CHURNED_AFTER = Option.duration("lifecycle.churned-after", "30d", "Lifecycle: churned after no activity for this long (or at once on leave)");
    public static final Option<Duration> LC_RETENTION = Option.duration("lifecycle.retention", "90d", "Lifecycle: state of a churned member without any event for this long is cleared (state end of life)");
    public static final Option<Integer> LC_HISTORY_DAYS = Option.integer("lifecycle.history-days", 16, 8, 64, "Lifecycle: how many of a member's latest active days (active-days test of valuable) and session gaps (their rhythm) are kept");
    public static final Option<Duration> LC_BUYER_WINDOW = Option.duration("lifecycle.valuable.buyer-window", "90d", "Valuable member: a paid order attributed to the community within this long");
    public static final Option<Integer> LC_VALUABLE_ACTIVE_DAYS = Option.integer("lifecycle.valuable.active-days", 8, 1, 28, "Valuable member: active on at least this many of the 28 days up to their last active day");
    public static final Option<Integer> LC_VALUABLE_RECEIVED = Option.integer("lifecycle.valuable.received", 20, 1, 1_000_000, "Valuable member (top contributor): received at least this many replies + reactions in the 28 days up to their last active day");
    public static final Option<Integer> LC_ALERT_MIN_ACTIVE_DAYS = Option.integer("lifecycle.at-risk-alert.min-active-days", 8, 1, 64, "MEMBER_AT_RISK fires only when the member's cadence rests on at least this many active days (1 = every valuable member entering at_risk)");

    // ==== Per-community thresholds (override lifecycle and alert keys per community) ====
    public static final Option<String> OVERRIDES = Option.string("thresholds.overrides", "", "Per-community thresholds: a properties file of <community_id>.<key> = value, read at start (keys: new-for, silent-after, at-risk-min, at-risk-cadence-factor, churned-after, churn-spike.min-count, churn-spike.k, negative-spike.ratio, negative-spike.min-messages, negative-spike.min-authors, negative-spike.baseline-k, negative-spike.critical-ratio, negative-message.max-score); empty = none");

    // ==== Alerts: CHURN_SPIKE ====
    public static final Option<Integer> CHURN_SPIKE_MIN_COUNT = Option.integer("alerts.churn-spike.min-count", 10, 1, 1_000_000, "CHURN_SPIKE: leaves + churned members of a community in the trailing 24 h must exceed max(this, k x baseline)");
    public static final Option<Double> CHURN_SPIKE_K = Option.decimal("alerts.churn-spike.k", 3.0, 0.0, 1000.0, "CHURN_SPIKE: multiple of the community's baseline (exponentially weighted daily count) to exceed");
    public static final Option<Duration> CHURN_SPIKE_HALF_LIFE = Option.duration("alerts.churn-spike.baseline-half-life", "7d", "CHURN_SPIKE: half-life of the daily baseline");
    public static final Option<Duration> CHURN_SPIKE_RETENTION = Option.duration("alerts.churn-spike.baseline-retention", "30d", "CHURN_SPIKE: a community's baseline is dropped after this long without churn (state end of life)");

    // ==== Kafka security: the section every Kafka client of the project shares (KafkaSecurity) ====
    public static final Option<String> KAFKA_SECURITY_PROTOCOL = security(com.communitypulse.security.KafkaSecurity.PROTOCOL);
    public static final Option<String> KAFKA_SASL_MECHANISM = security(com.communitypulse.security.KafkaSecurity.MECHANISM);
    public static final Option<String> KAFKA_SASL_USERNAME = security(com.communitypulse.security.KafkaSecurity.USERNAME);
    public static final Option<String> KAFKA_SASL_PASSWORD_FILE = security(com.communitypulse.security.KafkaSecurity.PASSWORD_FILE);
    public static final Option<String> KAFKA_SSL_TRUSTSTORE = security(com.communitypulse.security.KafkaSecurity.TRUSTSTORE);
    public static final Option<String> KAFKA_SSL_TRUSTSTORE_TYPE = security(com.communitypulse.security.KafkaSecurity.TRUSTSTORE_TYPE);
    public static final Option<String> KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE = security(com.communitypulse.security.KafkaSecurity.TRUSTSTORE_PASSWORD_FILE);
    public static final Option<String> KAFKA_SSL_ENDPOINT_IDENTIFICATION = security(com.communitypulse.security.KafkaSecurity.ENDPOINT_IDENTIFICATION);

    // ==== Privacy: pseudonyms in outputs, the key, and how long dead letters (raw input) are kept ====
    public static final Option<Boolean> PSEUDONYMIZE = Option.bool("privacy.pseudonymize", true, "Member ids in every output record (metrics, lifecycle, late events; alerts see privacy.alerts.original-user-id) are HMAC-SHA256 pseudonyms with key_id; inside the job they are encrypted, so state and checkpoints hold no raw id. false = raw ids everywhere");
    public static final Option<String> PRIVACY_KEY_FILE = Option.string("privacy.key-file", "", "File holding the pseudonymisation secret (at least 32 bytes, e.g. openssl rand -base64 32); else the environment variable PULSE_PRIVACY_KEY. Required when privacy.pseudonymize is on (the demo makes an ephemeral one)");
    public static final Option<String> PRIVACY_KEY_ID = Option.string("privacy.key-id", "k1", "Version label of the pseudonymisation key, written as key_id next to every pseudonym; change it with the key");
    public static final Option<Boolean> ALERTS_ORIGINAL_ID = Option.bool("privacy.alerts.original-user-id", true, "Alerts carry the original user_id (moderators must reach the member); false = the pseudonym, as everywhere else");
    public static final Option<Duration> DLQ_RETENTION = Option.duration("topic.dlq.retention", "3d", "retention.ms of the dead-letter topic when the project's tools create it: dead letters keep raw input (member ids, chat text), so keep it short");

    /**
     * Every option, in declaration order (so grouped as above; {@code pulse config} and its
     * {@code --markdown} table list them in this order). Derived from the {@code public static final
     * Option} fields of this class, so a new option is part of parsing, validation, {@code --help}
     * and the docs as soon as it is declared. Must stay below the last option: static fields
     * initialise in textual order.
     */
    public static final List<Option<?>> ALL = declaredOptions();

    private static List<Option<?>> declaredOptions() {
        List<Option<?>> all = new ArrayList<>();
        // getDeclaredFields() lists fields in declaration order on OpenJDK; PulseConfigTest checks
        // that order against the source, so a JVM that differed would fail the build, not reorder the docs.
        for (Field f : PulseConfig.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (f.getType() != Option.class || !Modifier.isStatic(mod) || !Modifier.isPublic(mod)) continue;
            try {
                Option<?> o = (Option<?>) f.get(null);
                if (o == null) throw new IllegalStateException("PulseConfig." + f.getName() + " is declared below ALL: move it above");
                all.add(o);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return List.copyOf(all);
    }

    private static Option<String> security(String key) {
        var k = com.communitypulse.security.KafkaSecurity.KEYS.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
        return Option.string(k.key(), k.defaultValue(), k.description());
    }

    private final Map<String, String> raw;
    private final Map<String, Object> values;

    private PulseConfig(Map<String, String> raw) {
        this.raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
        Map<String, Object> v = new LinkedHashMap<>();
        for (Option<?> o : ALL) {
            String s = raw.getOrDefault(o.key(), o.defaultValue());
            v.put(o.key(), o.parse(s));
        }
        this.values = Collections.unmodifiableMap(v);
        validate();
    }

    public static PulseConfig defaults() {
        return new PulseConfig(Map.of());
    }

    /** Builds a config from explicit key/values over the defaults (tests, embedded runs). */
    public static PulseConfig of(Map<String, String> overrides) {
        checkKeys(overrides);
        return new PulseConfig(overrides);
    }

    /** Returns a copy with some keys changed. */
    public PulseConfig with(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(raw);
        m.put(key, value);
        return of(m);
    }

    /**
     * Parses {@code --key value} flags (plus {@code --config FILE} and {@code PULSE_*} environment
     * variables). Flags not in {@code ALL} are errors unless listed in {@code extraFlags}, which are
     * returned in {@code extrasOut} for the caller (e.g. {@code --input}).
     */
    public static PulseConfig fromArgs(List<String> args, Map<String, String> env, List<String> extraFlags, Map<String, String> extrasOut) {
        List<Option<?>> accepted = new ArrayList<>(ALL);
        accepted.add(CONFIG_FILE);
        for (String x : extraFlags) {
            accepted.add(Option.string(x, "", "a flag of the command"));
        }
        Flags.Parsed flags = Flags.of(accepted).parse(args);
        if (flags.help()) {
            throw new UsageException("--help is not a job option: run 'pulse config --help' (or the command's --help)");
        }
        Map<String, String> m = new LinkedHashMap<>();
        if (flags.has(CONFIG_FILE)) {
            m.putAll(readFile(Path.of(flags.raw(CONFIG_FILE))));
        }
        for (Option<?> o : ALL) {
            if (env.containsKey(o.envName())) {
                m.put(o.key(), env.get(o.envName()));
            }
        }
        for (var e : flags.values().entrySet()) {
            if (extraFlags.contains(e.getKey())) {
                extrasOut.put(e.getKey(), e.getValue());
            } else if (!e.getKey().equals(CONFIG_FILE.key())) {
                m.put(e.getKey(), e.getValue());
            }
        }
        checkKeys(m);
        return new PulseConfig(m);
    }

    /** {@code --config FILE}: a properties file of job options, below environment variables and flags. */
    private static final Option<String> CONFIG_FILE = Option.string("config", "", "properties file of job options");

    /** A memory size such as {@code 512m} or {@code 1g} (Flink's syntax), returned in bytes. */
    private static Option<Long> memory(String key, String def, long minBytes, String description) {
        return Option.of(key, def, description, v -> {
            try {
                long b = org.apache.flink.configuration.MemorySize.parse(v.trim()).getBytes();
                if (b < minBytes) {
                    throw new IllegalArgumentException();
                }
                return b;
            } catch (IllegalArgumentException e) {
                throw new UsageException("Invalid value '" + v + "' for " + key + ": use a size such as 512m or 1g (at least "
                        + (minBytes >> 20) + "m)");
            }
        });
    }

    private static Map<String, String> readFile(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new UsageException("Config file " + p + " does not exist: pass an existing properties file to --config");
        }
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException e) {
            throw new UsageException("Cannot read config file " + p + ": " + e.getMessage());
        }
        Map<String, String> m = new LinkedHashMap<>();
        props.forEach((k, v) -> m.put(k.toString().trim(), v.toString().trim()));
        return m;
    }

    /** Keys from a file or {@link #of}: the same error as an unknown flag. */
    private static void checkKeys(Map<String, String> m) {
        for (String k : m.keySet()) {
            if (ALL.stream().noneMatch(o -> o.key().equals(k))) {
                throw Flags.of(ALL).unknownOption("--" + k);
            }
        }
    }

    private void validate() {
        if (get(DEDUP_HORIZON).compareTo(get(ALLOWED_LATENESS)) < 0) {
            throw new UsageException("dedup.horizon (" + raw(DEDUP_HORIZON) + ") must be at least allowed-lateness (" + raw(ALLOWED_LATENESS) + "): raise dedup.horizon");
        }
        Duration w = get(WINDOW);
        if (w.isZero() || w.isNegative() || Duration.ofDays(1).toMillis() % w.toMillis() != 0) {
            throw new UsageException("metrics.window (" + raw(WINDOW) + ") must divide a day evenly, e.g. 10s, 1m, 5m, 15m or 1h");
        }
        if (get(TX_TIMEOUT).compareTo(get(CHECKPOINT_INTERVAL).multipliedBy(3)) < 0) {
            throw new UsageException("kafka.transaction-timeout (" + raw(TX_TIMEOUT) + ") must be at least 3 x checkpoint.interval: raise it (and the broker's transaction.max.timeout.ms)");
        }
        String so = get(STARTING_OFFSETS);
        if (!List.of("committed-or-earliest", "earliest", "latest").contains(so)) {
            throw new UsageException("Invalid value '" + so + "' for kafka.starting-offsets: use committed-or-earliest, earliest or latest");
        }
        Duration sw = get(SPIKE_WINDOW);
        if (sw.toMillis() < 60_000L || sw.toMillis() % 60_000L != 0 || sw.compareTo(Duration.ofHours(24)) > 0) {
            throw new UsageException("alerts.negative-spike.window (" + raw(SPIKE_WINDOW) + ") must be whole minutes between 1m and 24h, e.g. 15m");
        }
        if (get(NEG_MESSAGE_INTERVAL).toMillis() < 1000L) {
            throw new UsageException("alerts.negative-message.interval (" + raw(NEG_MESSAGE_INTERVAL) + ") must be at least 1s");
        }
        if (get(SPIKE_BASELINE_HALF_LIFE).compareTo(sw) < 0) {
            throw new UsageException("alerts.negative-spike.baseline-half-life (" + raw(SPIKE_BASELINE_HALF_LIFE) + ") must be at least alerts.negative-spike.window");
        }
        if (get(SPIKE_BASELINE_RETENTION).compareTo(sw) < 0) {
            throw new UsageException("alerts.negative-spike.baseline-retention (" + raw(SPIKE_BASELINE_RETENTION) + ") must be at least alerts.negative-spike.window");
        }
        if (get(LC_RETENTION).compareTo(get(LC_CHURNED_AFTER)) < 0) {
            throw new UsageException("lifecycle.retention (" + raw(LC_RETENTION) + ") must be at least lifecycle.churned-after (" + raw(LC_CHURNED_AFTER) + ")");
        }
        if (get(CHURN_SPIKE_HALF_LIFE).compareTo(Duration.ofDays(1)) < 0 || get(CHURN_SPIKE_RETENTION).compareTo(Duration.ofDays(1)) < 0) {
            throw new UsageException("alerts.churn-spike.baseline-half-life and baseline-retention must be at least 1d");
        }
        if (get(PRIVACY_KEY_ID).isBlank() || !get(PRIVACY_KEY_ID).matches("[A-Za-z0-9._-]{1,32}")) {
            throw new UsageException("privacy.key-id '" + raw(PRIVACY_KEY_ID) + "' must be 1-32 letters, digits, '.', '_' or '-', e.g. k1 or 2026-11");
        }
        if (get(DLQ_RETENTION).toMillis() < 60_000L) {
            throw new UsageException("topic.dlq.retention (" + raw(DLQ_RETENTION) + ") must be at least 1m");
        }
        if (get(PARALLELISM) > get(MAX_PARALLELISM)) {
            throw new UsageException("parallelism must not exceed max-parallelism (" + get(MAX_PARALLELISM) + ")");
        }
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> o) {
        return (T) values.get(o.key());
    }

    public long millis(Option<Duration> o) {
        return get(o).toMillis();
    }

    /** The value as given (or the default), for settings parsed elsewhere (the shared Kafka security section). */
    public String rawValue(String key) {
        Option<?> o = ALL.stream().filter(x -> x.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no option " + key));
        return raw(o);
    }

    private String raw(Option<?> o) {
        return raw.getOrDefault(o.key(), o.defaultValue());
    }

    /** The explicitly set key/values (for re-creating the config in another process). */
    public Map<String, String> overrides() {
        return raw;
    }

    /** Args that reproduce this config ({@code --key value ...}). */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>();
        raw.forEach((k, v) -> {
            a.add("--" + k);
            a.add(v);
        });
        return a;
    }

    /** Human-readable dump with secrets masked. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Option<?> o : ALL) {
            String v = raw(o);
            sb.append(o.key()).append(" = ").append(o.isSecret() && !v.isEmpty() ? "******" : v).append('\n');
        }
        return sb.toString();
    }

    /** The configuration table of docs/CONFIGURATION.md (PulseConfigTest checks that page against it). */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| key | default | description |\n|---|---|---|\n");
        for (Option<?> o : ALL) {
            sb.append("| `").append(o.key()).append("` | `").append(o.defaultValue()).append("` | ").append(o.description()).append(" |\n");
        }
        return sb.toString();
    }
}
