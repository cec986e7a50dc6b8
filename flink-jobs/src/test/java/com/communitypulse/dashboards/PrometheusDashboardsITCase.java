package com.communitypulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.connectors.dispatcher.AlertDispatcher;
import com.communitypulse.connectors.dispatcher.WebhookInbox;
import com.communitypulse.connectors.dispatcher.config.ConfigLoader;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import com.communitypulse.connectors.exporter.AlertmanagerLauncher;
import com.communitypulse.connectors.exporter.Exporter;
import com.communitypulse.connectors.exporter.ExporterConfig;
import com.communitypulse.connectors.exporter.PrometheusLauncher;
import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.generator.EventGenerator;
import com.communitypulse.generator.GeneratedRecord;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseJob;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards and alert rules against a real Prometheus server scraping a real pipeline: a
 * Kafka 4.1 broker (child JVM), the job on a MiniCluster with Flink's Prometheus reporter, the
 * exporter, and the alert dispatcher delivering to a real local webhook receiver. Every expression of every dashboard panel and template variable, and every rule (or,
 * for a condition that is normally false, each operand of its comparison) must return data; every
 * rule must evaluate without error; {@code promtool check config} and {@code check rules} pass.
 *
 * <p>Prometheus sends its alerts to a real Alertmanager running the repository's
 * {@code alertmanager.yml}: on the healthy pipeline no rule fires and Alertmanager holds no alert;
 * once the exporter is stopped, {@code PulseExporterDown} reaches Alertmanager's API. The rules
 * run from a copy whose {@code for:} durations are cut (see {@link #testRules}) so that this takes
 * seconds, not minutes; their expressions and labels are the shipped ones.
 *
 * <p>Needs the {@code prometheus} and {@code promtool} binaries on PATH (Debian: {@code apt-get
 * install prometheus}) and Alertmanager (Debian: {@code prometheus-alertmanager}); skipped with a
 * message otherwise. Scrapes of both endpoints are written to {@code target/prometheus-itcase/} to
 * help when a metric name changes.
 */
class PrometheusDashboardsITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String NO_DATA = ": no data for: ";
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(120);
    /** Series that must exist before the panels are checked: the slowest to appear of each source. */
    private static final List<String> READY = List.of(
            "flink_jobmanager_job_numberOfCompletedCheckpoints > 0",
            "pulse_window_messages",
            "pulse_rolling_dau",
            // > 0: every type/severity series exists from the start (under "other", at 0).
            "pulse_alerts_total > 0",
            "pulse_data_freshness_seconds{input=\"alerts\"}",
            "pulse_dispatcher_alerts_delivered_total > 0");

    @Test
    void shouldReturnDataForEveryPanelAndRuleWhenPrometheusScrapesARealPipeline(@TempDir Path tmp) throws Exception {
        assumeTrue(PrometheusLauncher.binary().isPresent() && PrometheusLauncher.promtool().isPresent(),
                "prometheus/promtool not on PATH: install the Debian package 'prometheus' to run this test");
        assumeTrue(AlertmanagerLauncher.binary().isPresent(),
                "prometheus-alertmanager not on PATH: install the Debian package 'prometheus-alertmanager' to run this test");
        Path root = repoRoot();
        Path promConfig = root.resolve("dashboards/prometheus/prometheus.yml");
        Path rules = root.resolve("dashboards/prometheus/rules.yml");
        Path amConfig = root.resolve("dashboards/prometheus/alertmanager.yml");
        promtool("check", "config", promConfig.toString());
        promtool("check", "rules", rules.toString());

        Path dumps = Path.of("target/prometheus-itcase");
        Files.createDirectories(dumps);
        KafkaBroker broker = KafkaBroker.builder().start();
        try (broker) {
            PulseConfig cfg = PulseConfig.defaults()
                    .with(PulseConfig.BOOTSTRAP.key(), broker.bootstrapServers())
                    .with(PulseConfig.CHECKPOINT_DIR.key(), tmp.resolve("checkpoints").toUri().toString())
                    .with(PulseConfig.CHECKPOINT_INTERVAL.key(), "2s")
                    .with(PulseConfig.PROMETHEUS_PORT.key(), Integer.toString(PrometheusLauncher.freePort()))
                    .with(PulseConfig.WEB_PORT.key(), "0")
                    .with(PulseConfig.PRIVACY_KEY_FILE.key(), com.communitypulse.testutils.TestKeys.file(tmp.resolve("keys")))
                    // Fresh topics: no committed offsets to look up.
                    .with(PulseConfig.STARTING_OFFSETS.key(), "earliest");
            Map<String, Integer> topics = new LinkedHashMap<>();
            for (var o : List.of(PulseConfig.TOPIC_MESSAGES, PulseConfig.TOPIC_CLICKS, PulseConfig.TOPIC_ORDERS)) topics.put(cfg.get(o), 2);
            for (OutputTopic t : OutputTopic.values()) topics.put(t.topic(cfg), 2);
            broker.createTopics(topics, Map.of());
            produce(cfg);

            JobClient job = PulseJob.startLocalKafka(cfg, false);
            try (Exporter exporter = Exporter.start(ExporterConfig.defaults()
                    .with(ExporterConfig.BOOTSTRAP, broker.bootstrapServers())
                    .with(ExporterConfig.PORT, "0")
                    .with(ExporterConfig.TOP_N, "5"));
                    WebhookInbox inbox = WebhookInbox.start(WebhookInbox.newSecret(), 0);
                    AlertDispatcher dispatcher = startDispatcher(inbox, broker.bootstrapServers(), tmp.resolve("dispatcher"));
                    AlertmanagerLauncher am = AlertmanagerLauncher.start(amConfig, 0)) {
                int promPort = PrometheusLauncher.freePort();
                Path testConfig = testConfig(promConfig, testRules(rules, tmp), tmp, am.target(), Map.of(
                        "flink", "127.0.0.1:" + cfg.get(PulseConfig.PROMETHEUS_PORT),
                        "pulse-exporter", "127.0.0.1:" + exporter.port(),
                        "pulse-dispatcher", "127.0.0.1:" + dispatcher.metricsPort(),
                        "alertmanager", am.target(),
                        "prometheus", "127.0.0.1:" + promPort));
                try (PrometheusLauncher prom = PrometheusLauncher.start(testConfig, promPort)) {
                    try {
                        awaitData(prom);
                        // rate()/increase() need two samples and the rules a few evaluations.
                        Thread.sleep(5_000);
                        List<String> failures = new ArrayList<>();
                        Map<String, String> vars = grafanaVariables(prom);
                        checkDashboards(prom, root.resolve("dashboards"), vars, failures);
                        checkRules(prom, rules, failures);
                        if (!failures.isEmpty()) {
                            // One retry after a scrape or two: a single failed scrape of a live target marks its series stale.
                            Thread.sleep(6_000);
                            failures = recheck(prom, failures);
                        }
                        assertThat(failures).as("expressions without data or with errors").isEmpty();
                        assertNoAlertWhileHealthy(prom, am);
                        exporter.close();
                        assertAlertReachesAlertmanager(am, "PulseExporterDown", "pulse-exporter");
                    } finally {
                        dump(URI.create("http://127.0.0.1:" + cfg.get(PulseConfig.PROMETHEUS_PORT) + "/metrics"), dumps.resolve("flink.txt"));
                        dump(URI.create(exporter.url()), dumps.resolve("exporter.txt"));
                        Files.writeString(dumps.resolve("prometheus.log"), prom.logTail());
                        Files.writeString(dumps.resolve("alertmanager.log"), am.logTail());
                        copyQuietly(broker.logFile(), dumps.resolve("broker.log"));
                    }
                }
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The dispatcher delivering the job's alerts to a real local webhook receiver (its delivery series then carry data). */
    private static AlertDispatcher startDispatcher(WebhookInbox inbox, String bootstrap, Path dir) throws IOException {
        DispatcherConfig dc = ConfigLoader.load(inbox.writeDispatcherConfig(dir, bootstrap, "pulse-itcase-dispatcher"));
        return new AlertDispatcher(dc, new SecretResolver(name -> null, Path.of(dc.secretsFile)), new PrometheusRegistry()).start();
    }

    /** A few days of generated history, all of it sent before the job starts (the job then catches up, with lag to report). */
    private static void produce(PulseConfig cfg) throws Exception {
        long day = 86_400_000L;
        GeneratorConfig gen = GeneratorConfig.builder().seed(7).communities(12).members(1500).days(3).eventsTarget(30_000)
                // Ending now (to the minute): the newest windows are minutes old, as on a live
                // pipeline (at a quiet hour of the generated day they can still be older; see testRules).
                .startTs((System.currentTimeMillis() / 60_000) * 60_000 - 3 * day).build();
        Properties p = new Properties();
        p.put("bootstrap.servers", cfg.get(PulseConfig.BOOTSTRAP));
        p.put("linger.ms", "20");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            EventGenerator g = new EventGenerator(gen);
            while (g.hasNext()) {
                GeneratedRecord r = g.next();
                producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value()));
            }
            producer.flush();
        }
    }

    /**
     * The shipped rules with shorter {@code for:} durations: a sixth of each, at least 10 s (a
     * single slow scrape of Flink's 2 MB endpoint must not fire PulseFlinkDown) and at most 20 s
     * (the healthy check then covers every rule). Expressions, labels and annotations unchanged.
     */
    static Path testRules(Path rules, Path dir) throws IOException {
        ObjectNode doc = (ObjectNode) YAML.readTree(rules.toFile());
        int n = 0;
        for (JsonNode g : doc.path("groups")) {
            for (JsonNode r : g.path("rules")) {
                // PulseDataStale measures how far the newest metric's event time is behind the wall
                // clock: here a property of the generated history and of how long a loaded machine takes
                // to replay it, not of the pipeline's health (it fired once in CI that way). It keeps
                // its shipped for: so the short healthy check cannot see it; its query is still checked.
                if (r.has("for") && !r.path("alert").asText().equals("PulseDataStale")) {
                    long s = Math.min(20, Math.max(10, parseDuration(r.path("for").asText()).toSeconds() / 6));
                    ((ObjectNode) r).put("for", s + "s");
                    n++;
                }
            }
        }
        assertThat(n).as("rules with for:").isGreaterThan(0);
        Path out = dir.resolve("rules-test.yml");
        YAML.writeValue(out.toFile(), doc);
        return out;
    }

    private static Duration parseDuration(String d) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([smh])").matcher(d);
        assertThat(m.matches()).as("for: duration " + d).isTrue();
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(v);
            case "m" -> Duration.ofMinutes(v);
            default -> Duration.ofHours(v);
        };
    }

    /**
     * On the healthy pipeline no rule is firing (Prometheus' own view) and Alertmanager holds no
     * alert, observed for a little longer than the longest test {@code for:}.
     */
    private static void assertNoAlertWhileHealthy(PrometheusLauncher prom, AlertmanagerLauncher am) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(22).toNanos();
        do {
            List<String> firing = new ArrayList<>();
            for (JsonNode a : get(URI.create(prom.url() + "/api/v1/alerts")).path("data").path("alerts")) {
                if (a.path("state").asText().equals("firing")) firing.add(a.path("labels").toString());
            }
            assertThat(firing).as("rules firing on the healthy pipeline").isEmpty();
            JsonNode received = get(URI.create(am.url() + "/api/v2/alerts"));
            assertThat(received.isArray()).as("Alertmanager /api/v2/alerts: " + received).isTrue();
            assertThat(received).as("alerts in Alertmanager on the healthy pipeline").isEmpty();
            Thread.sleep(2000);
        } while (System.nanoTime() < deadline);
    }

    /** The alert arrives at Alertmanager's API with its routing labels and runbook link. */
    private static void assertAlertReachesAlertmanager(AlertmanagerLauncher am, String alertname, String service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode found = null;
        while (found == null && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            for (JsonNode a : get(URI.create(am.url() + "/api/v2/alerts"))) {
                if (a.path("labels").path("alertname").asText().equals(alertname)) found = a;
            }
        }
        assertThat(found).as(alertname + " in Alertmanager within 60 s; its log:\n" + am.logTail()).isNotNull();
        assertThat(found.path("labels").path("service").asText()).isEqualTo(service);
        assertThat(found.path("labels").path("team").asText()).isEqualTo("community-pulse");
        assertThat(found.path("annotations").path("runbook_url").asText()).isEqualTo("docs/RUNBOOK.md#" + alertname.toLowerCase());
        assertThat(found.path("status").path("state").asText()).isEqualTo("active");
    }

    /** The repository's scrape config with local targets per job, fast intervals, the given rules and Alertmanager. */
    private static Path testConfig(Path promConfig, Path rules, Path dir, String alertmanager, Map<String, String> targets) throws IOException {
        ObjectNode c = (ObjectNode) YAML.readTree(promConfig.toFile());
        ObjectNode global = c.with("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        c.putArray("rule_files").add(rules.toAbsolutePath().toString());
        JsonNode managers = c.path("alerting").path("alertmanagers");
        assertThat(managers.size()).as("alerting.alertmanagers in " + promConfig).isEqualTo(1);
        ((ObjectNode) managers.get(0)).putArray("static_configs").addObject().putArray("targets").add(alertmanager);
        for (JsonNode job : c.path("scrape_configs")) {
            String name = job.path("job_name").asText();
            assertThat(targets).as("local target for scrape job " + name).containsKey(name);
            ((ObjectNode) job).remove("scrape_interval");
            // Docker's DNS (the dispatcher's discovery) does not exist here: a static target instead.
            List<String> discovery = new ArrayList<>();
            job.fieldNames().forEachRemaining(f -> {
                if (f.endsWith("_sd_configs")) discovery.add(f);
            });
            ((ObjectNode) job).remove(discovery);
            if (name.equals("flink")) {
                // Flink's endpoint is ~2 MB (per-subtask Kafka client metrics); on a loaded machine
                // a 1 s scrape times out and the series go stale.
                ((ObjectNode) job).put("scrape_interval", "5s");
                ((ObjectNode) job).put("scrape_timeout", "5s");
            }
            ArrayNode sc = ((ObjectNode) job).putArray("static_configs");
            sc.addObject().putArray("targets").add(targets.get(name));
        }
        Path out = dir.resolve("prometheus-test.yml");
        YAML.writeValue(out.toFile(), c);
        return out;
    }

    private static void awaitData(PrometheusLauncher prom) throws Exception {
        long deadline = System.nanoTime() + DATA_TIMEOUT.toNanos();
        List<String> missing = new ArrayList<>(READY);
        while (System.nanoTime() < deadline && !missing.isEmpty()) {
            missing.removeIf(q -> {
                try {
                    return hasData(query(prom, q));
                } catch (Exception e) {
                    return false;
                }
            });
            Thread.sleep(1000);
        }
        assertThat(missing).as("series still missing after " + DATA_TIMEOUT.toSeconds() + " s").isEmpty();
    }

    /**
     * Values of the dashboards' template variables: the busiest labelled community (by rolling
     * DAU, as an operator would pick it) and Grafana's interval macros; custom variables (the
     * window) take their dashboard's default, i.e. what Grafana shows on opening it.
     */
    private static Map<String, String> grafanaVariables(PrometheusLauncher prom) throws Exception {
        JsonNode top = query(prom, "topk(1, pulse_rolling_dau{community!=\"*\",community!=\"other\"})");
        assertThat(hasData(top)).as("a labelled community").isTrue();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("community", top.path("data").path("result").get(0).path("metric").path("community").asText());
        v.put("__rate_interval", "1m");
        v.put("__interval", "15s");
        v.put("__range", "5m");
        v.put("datasource", "prometheus");
        return v;
    }

    /**
     * The value Grafana substitutes for a query variable when the dashboard opens. {@code job}
     * takes every value its own query finds, formatted as Grafana's Prometheus data source does
     * for a multi-value selection ({@code (a|b)}), so a panel that matched the job with {@code =}
     * instead of {@code =~}, or a variable query that finds no job, fails here. Other
     * multi-value variables open on "All", i.e. their {@code allValue}.
     */
    private static String queryVariableValue(PrometheusLauncher prom, JsonNode var, String selector, Map<String, String> vars, String dash)
            throws Exception {
        String name = var.path("name").asText();
        if (name.equals("job")) {
            String label = PromQl.substitute(selector, vars);
            JsonNode res = query(prom, label);
            java.util.TreeSet<String> jobs = new java.util.TreeSet<>();
            for (JsonNode r : res.path("data").path("result")) jobs.add(r.path("metric").path("job").asText());
            assertThat(jobs).as(dash + " / $job values of " + label).isNotEmpty();
            return "(" + String.join("|", jobs) + ")";
        }
        if (var.path("multi").asBoolean() && var.path("includeAll").asBoolean()) {
            assertThat(var.path("allValue").asText()).as(dash + " / $" + name + " allValue").isNotEmpty();
            return var.path("allValue").asText();
        }
        return vars.get(name);
    }

    private static void checkDashboards(PrometheusLauncher prom, Path dir, Map<String, String> vars, List<String> failures) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("dashboards in " + dir).hasSizeGreaterThanOrEqualTo(4);
        int checked = 0;
        for (Path f : files) {
            JsonNode d = JSON.readTree(f.toFile());
            String dash = d.path("title").asText(f.getFileName().toString());
            Map<String, String> dashVars = new LinkedHashMap<>(vars);
            for (JsonNode var : d.path("templating").path("list")) {
                if (var.path("type").asText().equals("custom")) {
                    dashVars.put(var.path("name").asText(), var.path("current").path("value").asText());
                }
            }
            // In dashboard order, as Grafana resolves them: a variable's query may use the ones before it.
            for (JsonNode var : d.path("templating").path("list")) {
                if (var.path("type").asText().equals("query")) {
                    String q = var.path("query").isObject() ? var.path("query").path("query").asText() : var.path("query").asText();
                    String selector = q.replaceFirst("^label_values\\((.*),\\s*\\w+\\)$", "$1");
                    checked += check(prom, dash + " / variable $" + var.path("name").asText(), PromQl.substitute(selector, dashVars), failures);
                    dashVars.put(var.path("name").asText(), queryVariableValue(prom, var, selector, dashVars, dash));
                }
            }
            List<JsonNode> panels = new ArrayList<>();
            for (JsonNode p : d.path("panels")) {
                panels.add(p);
                p.path("panels").forEach(panels::add);
            }
            for (JsonNode p : panels) {
                for (JsonNode t : p.path("targets")) {
                    if (t.has("expr")) {
                        checked += check(prom, dash + " / " + p.path("title").asText() + " [" + t.path("refId").asText() + "]",
                                PromQl.substitute(t.path("expr").asText(), dashVars), failures);
                    }
                }
            }
        }
        assertThat(checked).as("panel expressions checked").isGreaterThan(20);
    }

    private static void checkRules(PrometheusLauncher prom, Path rulesFile, List<String> failures) throws Exception {
        JsonNode doc = YAML.readTree(rulesFile.toFile());
        int n = 0;
        for (JsonNode g : doc.path("groups")) {
            for (JsonNode r : g.path("rules")) {
                n++;
                String name = r.has("alert") ? "rule " + r.path("alert").asText() : "recording rule " + r.path("record").asText();
                String expr = r.path("expr").asText();
                JsonNode full = query(prom, expr);
                if (!full.path("status").asText().equals("success")) {
                    failures.add(name + ": " + full.path("error").asText() + " in: " + expr);
                } else if (!hasData(full)) {
                    for (String operand : PromQl.operands(expr)) {
                        check(prom, name + " (operand)", operand, failures);
                    }
                }
            }
        }
        assertThat(n).as("rules in " + rulesFile).isGreaterThanOrEqualTo(5);
        // Each rule evaluated at least once by Prometheus itself, without error.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> unhealthy;
        do {
            unhealthy = new ArrayList<>();
            JsonNode api = get(URI.create(prom.url() + "/api/v1/rules"));
            for (JsonNode g : api.path("data").path("groups")) {
                for (JsonNode r : g.path("rules")) {
                    if (!r.path("health").asText().equals("ok")) {
                        unhealthy.add(r.path("name").asText() + ": health=" + r.path("health").asText() + " " + r.path("lastError").asText());
                    }
                }
            }
            if (!unhealthy.isEmpty()) Thread.sleep(1000);
        } while (!unhealthy.isEmpty() && System.nanoTime() < deadline);
        failures.addAll(unhealthy);
    }

    private static List<String> recheck(PrometheusLauncher prom, List<String> failures) throws Exception {
        List<String> still = new ArrayList<>();
        for (String f : failures) {
            int at = f.indexOf(NO_DATA);
            if (at < 0) {
                still.add(f);
            } else {
                check(prom, f.substring(0, at), f.substring(at + NO_DATA.length()), still);
            }
        }
        return still;
    }

    private static int check(PrometheusLauncher prom, String what, String expr, List<String> failures) throws Exception {
        JsonNode res = query(prom, expr);
        if (!res.path("status").asText().equals("success")) {
            failures.add(what + ": error " + res.path("error").asText() + " in: " + expr);
        } else if (!hasData(res) && !undefinedRatio(prom, expr)) {
            failures.add(what + NO_DATA + expr);
        }
        return 1;
    }

    /** Window ratio series → the denominator of their record field (docs/CONTRACT.md §4). */
    private static final Map<String, List<String>> RATIO_DENOMINATORS = Map.of(
            "pulse_window_click_to_order_ratio", List.of("pulse_window_clicks"),
            "pulse_window_conversion_ratio", List.of("pulse_window_active_members"),
            "pulse_window_negative_ratio", List.of("pulse_window_sentiment_positive", "pulse_window_sentiment_neutral", "pulse_window_sentiment_negative"));
    private static final java.util.regex.Pattern RATIO_SELECTOR = java.util.regex.Pattern.compile("^(pulse_window_\\w+_ratio)(\\{[^}]*\\})$");

    /**
     * A window ratio without data is right when its denominator is 0 in that window: the job writes
     * no ratio then (no clicks in the community's latest hour at a quiet hour of the generated day,
     * which once failed CI), and Grafana shows "no data", not 0. The denominator series must exist
     * and be 0; a ratio missing for any other reason still fails.
     */
    private static boolean undefinedRatio(PrometheusLauncher prom, String expr) throws Exception {
        java.util.regex.Matcher m = RATIO_SELECTOR.matcher(expr.trim());
        if (!m.matches() || !RATIO_DENOMINATORS.containsKey(m.group(1))) return false;
        String sum = String.join(" + ", RATIO_DENOMINATORS.get(m.group(1)).stream().map(d -> d + m.group(2)).toList());
        return hasData(query(prom, "(" + sum + ") == 0"));
    }

    private static JsonNode query(PrometheusLauncher prom, String expr) throws Exception {
        return get(URI.create(prom.url() + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
    }

    private static boolean hasData(JsonNode res) {
        JsonNode data = res.path("data");
        String type = data.path("resultType").asText();
        return res.path("status").asText().equals("success")
                && (type.equals("scalar") || type.equals("string") || data.path("result").size() > 0);
    }

    private static JsonNode get(URI uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static void dump(URI uri, Path file) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            Files.writeString(file, r.body());
        } catch (Exception e) {
            // diagnostics only
        }
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("dashboards/prometheus"))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root with dashboards/prometheus above " + Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }

    private static void copyQuietly(Path from, Path to) {
        try {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // diagnostics only
        }
    }

    private static void promtool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(PrometheusLauncher.promtool().orElseThrow().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool " + String.join(" ", args) + ":\n" + out).isZero();
    }
}
