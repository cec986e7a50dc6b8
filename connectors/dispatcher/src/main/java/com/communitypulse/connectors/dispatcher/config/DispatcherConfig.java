package com.communitypulse.connectors.dispatcher.config;

import com.communitypulse.flags.UsageException;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dispatcher's configuration file (YAML; JSON is valid YAML), bound by Jackson with unknown keys
 * rejected so that a typo fails at start-up rather than silently disabling a route. The format is
 * documented with an example in the module README. {@link #validate()} checks everything that can be
 * checked without the network and throws {@link UsageException} naming the setting.
 */
public final class DispatcherConfig {

    public Kafka kafka = new Kafka();
    /** Java properties file holding {@code ${secret:KEY}} values; relative paths resolve against the config file. */
    @JsonProperty("secrets_file") public String secretsFile;
    public Metrics metrics = new Metrics();
    public Delivery delivery = new Delivery();
    public Dedup dedup = new Dedup();
    public Map<String, ChannelConfig> channels = new LinkedHashMap<>();
    public Routes routes = new Routes();
    /** Zone of the times in chat messages; the metric days of the job use the same default. */
    @JsonProperty("time_zone") public String timeZone = "Asia/Shanghai";
    /** Optional YAML file of community/member display names and moderators to mention (see {@link Directory}); relative to this file. */
    public String directory;
    /** Link in chat messages, e.g. {@code https://console.example/alerts/{{alert_id}}}; fields are URL-encoded. */
    @JsonProperty("link_template") public String linkTemplate;

    public static final class Kafka {
        @JsonProperty("bootstrap_servers") public String bootstrapServers;
        @JsonProperty("group_id") public String groupId = "pulse-dispatcher";
        @JsonProperty("alerts_topic") public String alertsTopic = "pulse.alerts";
        @JsonProperty("undelivered_topic") public String undeliveredTopic = "pulse.alerts.undelivered";
        /** Compacted log of delivered (alert, channel) pairs: the de-duplication memory across restarts. */
        @JsonProperty("delivered_topic") public String deliveredTopic = "pulse.alerts.delivered";
        /** Create the undelivered and delivered topics when missing (the alerts topic belongs to the job). */
        @JsonProperty("create_topics") public boolean createTopics = true;
        /** Extra Kafka client properties; values may be secret references. */
        public Map<String, String> properties = new LinkedHashMap<>();
        /**
         * The project's Kafka security section (the job's {@code kafka.*} security keys without the
         * {@code kafka.} prefix, e.g. {@code security.protocol: SASL_SSL}, {@code sasl.password-file}):
         * one set of settings for every client of the project.
         */
        public Map<String, String> security = new LinkedHashMap<>();
    }

    public static final class Metrics {
        public boolean enabled = true;
        public String host = "127.0.0.1";
        public int port = 9465;
    }

    public static final class Delivery {
        /** Attempts per message including the first; when exhausted the alerts are dead-lettered. */
        @JsonProperty("max_attempts") public int maxAttempts = 8;
        @JsonProperty("initial_backoff_ms") public long initialBackoffMs = 1000;
        @JsonProperty("max_backoff_ms") public long maxBackoffMs = 60_000;
        @JsonProperty("request_timeout_ms") public long requestTimeoutMs = 10_000;
        @JsonProperty("connect_timeout_ms") public long connectTimeoutMs = 5_000;
        /** Alerts read but not yet delivered or dead-lettered; above it the consumer pauses. */
        @JsonProperty("max_pending") public int maxPending = 10_000;
        /** On shutdown, how long in-flight deliveries may finish before their offsets are left uncommitted. */
        @JsonProperty("shutdown_grace_ms") public long shutdownGraceMs = 10_000;
    }

    public static final class Dedup {
        /** Most recent (alert, channel) pairs remembered; older ones age out (bounded memory). */
        @JsonProperty("max_entries") public int maxEntries = 200_000;
    }

    public static final class ChannelConfig {
        /** {@code webhook}, {@code wecom}, {@code dingtalk}, {@code feishu} or {@code slack}. */
        public String type;
        /** Endpoint URL; it usually embeds a token, so prefer {@code ${env:NAME}} or {@code ${secret:KEY}}. */
        public String url;
        /** Signing secret: {@code whsec_<base64>} for webhook (required), {@code SEC...} for dingtalk and the signing key for feishu (optional). */
        public String secret;
        /** Requests in flight at once; 1 keeps each channel in alert order (firing before resolved). */
        public int concurrency = 1;
        @JsonProperty("rate_limit") public RateLimit rateLimit;
        /** Message language, {@code zh-CN} or {@code en}; default zh-CN for wecom/dingtalk/feishu, en for slack. */
        public String locale;
        /** A custom message template file (relative to the config file) instead of the built-in one. */
        public String template;
        /** Put in front of every message: robots with keyword security (DingTalk, Feishu) reject messages without it. */
        public String keyword;
        /** Overrides the top-level link_template for this channel. */
        @JsonProperty("link_template") public String linkTemplate;

        /** The configured locale or the channel type's default. */
        public String localeOrDefault() {
            return locale != null ? locale : "slack".equals(type) ? "en" : "zh-CN";
        }
    }

    public static final class RateLimit {
        /** Individual messages allowed in any sliding window; alerts beyond go into a digest. */
        @JsonProperty("max_messages") public int maxMessages;
        @JsonProperty("window_seconds") public int windowSeconds = 60;
        /** How long a digest collects alerts before it is sent; default: the window. */
        @JsonProperty("digest_interval_seconds") public Integer digestIntervalSeconds;
    }

    public static final class Routes {
        /** Rules for communities without their own entry. */
        @JsonProperty("default") public List<Rule> defaults = new ArrayList<>();
        /** Per community: replaces the default rules for that community. */
        public Map<String, List<Rule>> communities = new LinkedHashMap<>();
    }

    public static final class Rule {
        public String channel;
        /** Alert types; empty or absent means all types. */
        public List<String> types = new ArrayList<>();
        @JsonProperty("min_severity") public String minSeverity = "info";
    }

    static final List<String> CHANNEL_TYPES = List.of("webhook", "wecom", "dingtalk", "feishu", "slack");
    static final List<String> LOCALES = List.of("zh-CN", "en");
    static final List<String> ALERT_TYPES = List.of("MEMBER_AT_RISK", "MEMBER_CHURNED", "CHURN_SPIKE",
            "NEGATIVE_MESSAGE", "NEGATIVE_SPIKE");
    static final List<String> SEVERITIES = List.of("info", "warning", "critical");

    /** Checks the file's content (not the secrets, see {@link SecretResolver}); returns this. */
    public DispatcherConfig validate() {
        if (kafka == null || blank(kafka.bootstrapServers)) {
            throw new UsageException("kafka.bootstrap_servers is missing: set it in the config file or pass --bootstrap-servers host:port");
        }
        for (String[] t : new String[][] {{"group_id", kafka.groupId}, {"alerts_topic", kafka.alertsTopic},
                {"undelivered_topic", kafka.undeliveredTopic}, {"delivered_topic", kafka.deliveredTopic}}) {
            if (blank(t[1])) {
                throw new UsageException("kafka." + t[0] + " must not be empty: remove it to use the default or set a name");
            }
        }
        if (metrics.port < 0 || metrics.port > 65535) {
            throw new UsageException("metrics.port " + metrics.port + " is out of range: use 0..65535 (0 = any free port)");
        }
        positive("delivery.max_attempts", delivery.maxAttempts);
        positive("delivery.initial_backoff_ms", delivery.initialBackoffMs);
        positive("delivery.request_timeout_ms", delivery.requestTimeoutMs);
        positive("delivery.connect_timeout_ms", delivery.connectTimeoutMs);
        positive("delivery.max_pending", delivery.maxPending);
        positive("dedup.max_entries", dedup.maxEntries);
        if (delivery.maxBackoffMs < delivery.initialBackoffMs) {
            throw new UsageException("delivery.max_backoff_ms must be >= delivery.initial_backoff_ms");
        }
        if (blank(timeZone)) {
            throw new UsageException("time_zone must not be empty: remove it for Asia/Shanghai or set a zone id such as UTC");
        }
        try {
            java.time.ZoneId.of(timeZone.trim());
        } catch (java.time.DateTimeException e) {
            throw new UsageException("time_zone '" + timeZone + "' is not a time zone: use a zone id such as Asia/Shanghai or UTC");
        }
        checkLinkTemplate("link_template", linkTemplate);
        if (directory != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(directory))) {
            throw new UsageException("directory " + directory + " does not exist or cannot be read: fix the path (relative to the config file) or remove 'directory:'");
        }
        if (channels.isEmpty()) {
            throw new UsageException("no channels configured: add at least one under 'channels:' (see the README)");
        }
        channels.forEach((name, c) -> {
            String p = "channels." + name;
            if (c == null || c.type == null || !CHANNEL_TYPES.contains(c.type)) {
                throw new UsageException(p + ".type must be one of " + CHANNEL_TYPES);
            }
            if (blank(c.url)) {
                throw new UsageException(p + ".url is missing: set it, e.g. url: ${env:" + envName(name) + "_URL}");
            }
            if (c.type.equals("webhook") && blank(c.secret)) {
                throw new UsageException(p + ".secret is missing: webhook channels are signed; set secret: ${env:" + envName(name) + "_SECRET} (whsec_<base64>)");
            }
            if ((c.type.equals("wecom") || c.type.equals("slack")) && !blank(c.secret)) {
                throw new UsageException(p + ".secret is not used by " + c.type + " (the URL carries the key): remove it");
            }
            if (c.type.equals("webhook")) {
                for (String[] k : new String[][] {{"locale", c.locale}, {"template", c.template}, {"keyword", c.keyword}, {"link_template", c.linkTemplate}}) {
                    if (k[1] != null) {
                        throw new UsageException(p + "." + k[0] + " is not used by webhook channels (their body carries the alert record): remove it");
                    }
                }
            } else {
                if (!LOCALES.contains(c.localeOrDefault())) {
                    throw new UsageException(p + ".locale '" + c.locale + "' is not supported: use one of " + LOCALES);
                }
                if (c.template != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(c.template))) {
                    throw new UsageException(p + ".template " + c.template + " does not exist or cannot be read: fix the path (relative to the config file) or remove it for the built-in template");
                }
                if (c.keyword != null && c.keyword.isBlank()) {
                    throw new UsageException(p + ".keyword is empty: set the robot's security keyword or remove the key");
                }
                checkLinkTemplate(p + ".link_template", c.linkTemplate);
            }
            positive(p + ".concurrency", c.concurrency);
            if (c.rateLimit != null) {
                positive(p + ".rate_limit.max_messages", c.rateLimit.maxMessages);
                positive(p + ".rate_limit.window_seconds", c.rateLimit.windowSeconds);
                if (c.rateLimit.digestIntervalSeconds != null) {
                    positive(p + ".rate_limit.digest_interval_seconds", c.rateLimit.digestIntervalSeconds);
                }
            }
        });
        if (routes == null || (routes.defaults.isEmpty() && routes.communities.isEmpty())) {
            throw new UsageException("no routes configured: add 'routes: default:' rules naming a channel");
        }
        checkRules("routes.default", routes.defaults);
        routes.communities.forEach((community, rules) -> checkRules("routes.communities." + community, rules));
        return this;
    }

    private static void checkLinkTemplate(String path, String t) {
        if (t == null) {
            return;
        }
        if (!t.trim().startsWith("https://") && !t.trim().startsWith("http://")) {
            throw new UsageException(path + " must be an http(s) URL, e.g. https://console.example/alerts/{{alert_id}}");
        }
        try {
            com.communitypulse.connectors.dispatcher.channel.Template.parse(path, t,
                    com.communitypulse.connectors.dispatcher.channel.Presentation.LINK_FIELDS);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private void checkRules(String path, List<Rule> rules) {
        if (rules == null) {
            throw new UsageException(path + " is empty: give a list of rules, or [] to deliver nothing for it");
        }
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            String p = path + "[" + i + "]";
            if (r == null || blank(r.channel) || !channels.containsKey(r.channel)) {
                throw new UsageException(p + ".channel '" + (r == null ? null : r.channel) + "' is not a configured channel: use one of " + channels.keySet());
            }
            for (String t : r.types == null ? List.<String>of() : r.types) {
                if (!ALERT_TYPES.contains(t)) {
                    throw new UsageException(p + ".types contains unknown alert type '" + t + "': use " + ALERT_TYPES);
                }
            }
            if (!SEVERITIES.contains(r.minSeverity)) {
                throw new UsageException(p + ".min_severity '" + r.minSeverity + "' is unknown: use " + SEVERITIES);
            }
        }
    }

    private static void positive(String path, long v) {
        if (v <= 0) {
            throw new UsageException(path + " must be > 0 (got " + v + ")");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String envName(String channel) {
        return "PULSE_" + channel.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
