package com.communitypulse.connectors.dispatcher;

import static com.communitypulse.connectors.dispatcher.testutils.TestAlerts.BEGINNING;
import static com.communitypulse.connectors.dispatcher.testutils.TestAlerts.alertId;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.connectors.dispatcher.config.ConfigLoader;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import com.communitypulse.connectors.dispatcher.testutils.Await;
import com.communitypulse.connectors.dispatcher.testutils.TestAlerts;
import com.communitypulse.connectors.dispatcher.testutils.WebhookReceiver;
import com.communitypulse.connectors.kafka.KafkaBroker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher against a real Kafka 4.1 broker and a real local HTTP receiver that verifies every
 * Standard Webhooks signature. Each test uses its own topics and consumer group on one shared broker.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertDispatcherITCase {

    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("community-pulse-test-secret-0123".getBytes());
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static KafkaBroker broker;

    @TempDir Path tmp;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.builder().heap("512m").start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void shouldDeliverEveryAlertExactlyOnceWhenEndpointIsHealthy() throws Exception {
        String s = "healthy";
        broker.createTopics(List.of(s + ".alerts"), 2);
        WebhookReceiver receiver = track(new WebhookReceiver(SECRET, 1));
        List<ObjectNode> alerts = mixedAlerts(s, 200);
        produceAborted(s + ".alerts", List.of(TestAlerts.negativeMessage(alertId(s + "-aborted", 0), "c1", "u1", BEGINNING)));
        produce(s + ".alerts", alerts);
        produce(s + ".alerts", alerts.subList(0, 20)); // an at-least-once producer's duplicates

        Path cfg = writeConfig(s, s + "-group", receiver.url(), Map.of());
        AlertDispatcher d = start(cfg);
        Set<String> expected = ids(alerts);
        Await.until("every alert delivered", Duration.ofSeconds(30),
                () -> receiver.distinctAcceptedAlertIds().containsAll(expected) && metric(d, "pulse_dispatcher_alerts_consumed_total") >= 220,
                () -> "accepted " + receiver.distinctAcceptedAlertIds().size());
        Thread.sleep(500); // a late duplicate would show up now

        assertThat(receiver.acceptedAlertIds()).hasSize(200).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(receiver.requests()).allMatch(WebhookReceiver.Received::signatureValid);
        // The receiver records a request before the dispatcher sees the response: wait for the last one.
        Await.until("metrics", Duration.ofSeconds(5),
                () -> metric(d, "pulse_dispatcher_alerts_delivered_total", "channel", "ops") == 200, () -> "");
        assertThat(metric(d, "pulse_dispatcher_duplicates_skipped_total", "channel", "ops")).isEqualTo(20);
        assertThat(metric(d, "pulse_dispatcher_delivery_latency_seconds_count", "channel", "ops")).isEqualTo(200);
        d.close();

        // A new consumer group re-reads the topic; the delivered store, read back from Kafka, keeps it quiet.
        AlertDispatcher again = start(writeConfig(s, s + "-group-2", receiver.url(), Map.of()));
        Await.until("the topic re-read", Duration.ofSeconds(30),
                () -> metric(again, "pulse_dispatcher_alerts_consumed_total") >= 220, () -> "");
        Thread.sleep(300);
        assertThat(receiver.acceptedAlertIds()).hasSize(200);
        assertThat(metric(again, "pulse_dispatcher_duplicates_skipped_total", "channel", "ops")).isEqualTo(220);
    }

    @Test
    void shouldDeliverEveryAlertWithTheSameWebhookIdWhenEndpointFailsHalfTheTimeAndHangs() throws Exception {
        String s = "flaky";
        broker.createTopics(List.of(s + ".alerts"), 2);
        WebhookReceiver receiver = track(new WebhookReceiver(SECRET, 7)).misbehave(0.5, 0.1, 1500);
        List<ObjectNode> alerts = mixedAlerts(s, 100);
        produce(s + ".alerts", alerts);

        AlertDispatcher d = start(writeConfig(s, s + "-group", receiver.url(),
                Map.of("max_attempts", "40", "request_timeout_ms", "400", "concurrency", "4")));
        Set<String> expected = ids(alerts);
        Await.until("every alert delivered despite failures", Duration.ofSeconds(50),
                () -> receiver.distinctAcceptedAlertIds().containsAll(expected),
                () -> "accepted " + receiver.distinctAcceptedAlertIds().size() + " of " + expected.size());

        assertThat(receiver.requests()).allMatch(WebhookReceiver.Received::signatureValid);
        assertThat(receiver.requests().stream().filter(r -> r.status() == 500)).isNotEmpty();
        // Retries and redeliveries reuse the id: each webhook-id carries one alert, and that alert's id.
        Map<String, Set<String>> byWebhookId = receiver.alertIdsByWebhookId();
        byWebhookId.forEach((webhookId, alertIds) -> assertThat(alertIds).containsExactly(webhookId));
        Map<String, Set<String>> webhookIdsByAlert = new HashMap<>();
        receiver.requests().forEach(r -> WebhookReceiver.alertIds(r.body())
                .forEach(a -> webhookIdsByAlert.computeIfAbsent(a, k -> new HashSet<>()).add(r.webhookId())));
        assertThat(webhookIdsByAlert.values()).allMatch(set -> set.size() == 1);
        assertThat(metric(d, "pulse_dispatcher_retries_total", "channel", "ops")).isPositive();
        assertThat(metric(d, "pulse_dispatcher_alerts_dead_lettered_total", "channel", "ops")).isZero();
    }

    @Test
    void shouldLoseNothingWhenDispatcherIsKilledAndRestartedMidStream() throws Exception {
        String s = "killed";
        broker.createTopics(List.of(s + ".alerts"), 2);
        // Every request takes 30 ms, so the stream is still flowing when the process is killed.
        WebhookReceiver receiver = track(new WebhookReceiver(SECRET, 3)).misbehave(0, 1.0, 30);
        List<ObjectNode> alerts = mixedAlerts(s, 300);
        produce(s + ".alerts", alerts);
        // The killed member stays in the group until its session expires: keep that short (broker minimum 6 s).
        Path cfg = writeConfig(s, s + "-group", receiver.url(), Map.of("kafka_properties", "{session.timeout.ms: '6000', heartbeat.interval.ms: '1000'}"));

        Process child = startChildJvm(cfg, tmp.resolve("child.log"));
        try {
            Await.until("the child to deliver part of the stream", Duration.ofSeconds(30),
                    () -> receiver.distinctAcceptedAlertIds().size() >= 80 || !child.isAlive(),
                    () -> "accepted " + receiver.distinctAcceptedAlertIds().size());
            assertThat(child.isAlive()).as("child JVM alive; log: " + tmp.resolve("child.log")).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
            child.waitFor(10, TimeUnit.SECONDS);
        }
        int beforeRestart = receiver.distinctAcceptedAlertIds().size();
        assertThat(beforeRestart).isLessThan(300);

        receiver.misbehave(0, 0, 0);
        start(cfg);
        Set<String> expected = ids(alerts);
        Await.until("every alert delivered after the restart", Duration.ofSeconds(30),
                () -> receiver.distinctAcceptedAlertIds().containsAll(expected),
                () -> "accepted " + receiver.distinctAcceptedAlertIds().size());
        int duplicates = receiver.acceptedAlertIds().size() - 300;
        System.out.printf("killed after %d of 300 alerts; %d delivered twice%n", beforeRestart, duplicates);
        // The delivered store is written before each next message: only what was in flight at the kill
        // (concurrency 1, plus a request the receiver processed but never answered) can come twice.
        assertThat(duplicates).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldDeadLetterWithTheLastErrorAndMoveOnWhenRetriesAreExhausted() throws Exception {
        String s = "dead";
        broker.createTopics(List.of(s + ".alerts"), 1);
        WebhookReceiver receiver = track(new WebhookReceiver(SECRET, 5)).misbehave(1.0, 0, 0);
        List<ObjectNode> alerts = mixedAlerts(s, 5);
        produce(s + ".alerts", alerts);
        produceRaw(s + ".alerts", "not json {".getBytes());
        Path cfg = writeConfig(s, s + "-group", receiver.url(), Map.of("max_attempts", "3"));

        AlertDispatcher d = start(cfg);
        List<JsonNode> dead = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            c.subscribe(List.of(s + ".undelivered"));
            Await.until("6 dead letters", Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    dead.add(read(r.value()));
                }
                return dead.size() >= 6;
            }, () -> dead.size() + " dead letters");
        }
        List<JsonNode> undelivered = dead.stream().filter(n -> n.has("alert")).toList();
        assertThat(undelivered).hasSize(5).allSatisfy(n -> {
            assertThat(n.get("last_error").asText()).isEqualTo("HTTP 500");
            assertThat(n.get("attempts").asInt()).isEqualTo(3);
            assertThat(n.get("channel").asText()).isEqualTo("ops");
            assertThat(n.get("alert").get("alert_id").asText()).isEqualTo(n.get("alert_id").asText());
        });
        assertThat(undelivered.stream().map(n -> n.get("alert_id").asText())).containsExactlyInAnyOrderElementsOf(ids(alerts));
        JsonNode invalid = dead.stream().filter(n -> n.has("raw_base64")).findFirst().orElseThrow();
        assertThat(new String(Base64.getDecoder().decode(invalid.get("raw_base64").asText()))).isEqualTo("not json {");
        assertThat(invalid.get("last_error").asText()).startsWith("invalid alert: not JSON");
        Await.until("dead-letter metric", Duration.ofSeconds(5),
                () -> metric(d, "pulse_dispatcher_alerts_dead_lettered_total", "channel", "ops") == 5, () -> "");
        d.close();

        // Offsets were committed after dead-lettering: a restart with a healthy endpoint only sees new alerts.
        receiver.misbehave(0, 0, 0);
        start(cfg);
        ObjectNode marker = TestAlerts.memberAtRisk(alertId(s, 99), "c1", "u99", BEGINNING);
        produce(s + ".alerts", List.of(marker));
        Await.until("the marker delivered", Duration.ofSeconds(30),
                () -> receiver.distinctAcceptedAlertIds().contains(alertId(s, 99)), () -> "");
        assertThat(receiver.acceptedAlertIds()).containsExactly(alertId(s, 99));
    }

    @Test
    void shouldDeliverAFloodAsAtMostTheRateLimitPlusDigestsAccountingForEveryAlert() throws Exception {
        String s = "flood";
        broker.createTopics(List.of(s + ".alerts"), 2);
        WebhookReceiver receiver = track(new WebhookReceiver(SECRET, 11));
        List<ObjectNode> alerts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            // 1,000 alerts for one community within one minute of event time.
            alerts.add(TestAlerts.negativeMessage(alertId(s, i), "c-flood", "u" + (i % 37), BEGINNING.plusMillis(i * 60L)));
        }
        long started = System.nanoTime();
        produce(s + ".alerts", alerts);
        AlertDispatcher d = start(writeConfig(s, s + "-group", receiver.url(),
                Map.of("rate_limit", "{max_messages: 10, window_seconds: 60, digest_interval_seconds: 2}")));

        Set<String> expected = ids(alerts);
        Await.until("all 1,000 alerts accounted for", Duration.ofSeconds(40),
                () -> receiver.distinctAcceptedAlertIds().containsAll(expected),
                () -> "accounted " + receiver.distinctAcceptedAlertIds().size());
        double elapsedSeconds = (System.nanoTime() - started) / 1e9;

        List<WebhookReceiver.Received> singles = receiver.accepted().stream().filter(r -> r.body().get("type").asText().equals("alert")).toList();
        List<WebhookReceiver.Received> digests = receiver.accepted().stream().filter(r -> r.body().get("type").asText().equals("digest")).toList();
        System.out.printf("flood: %d single messages, %d digests (%s) in %.1f s%n", singles.size(), digests.size(),
                digests.stream().map(r -> r.body().get("count").asText()).collect(Collectors.joining("+")), elapsedSeconds);
        assertThat(singles).hasSizeLessThanOrEqualTo(10);
        assertThat(digests).isNotEmpty().hasSizeLessThanOrEqualTo(1 + (int) (elapsedSeconds / 2));
        assertThat(receiver.accepted()).hasSize(singles.size() + digests.size());
        // Every alert is in exactly one message, and each digest's count is what it carries.
        assertThat(receiver.acceptedAlertIds()).hasSize(1000).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(digests).allSatisfy(r -> {
            assertThat(r.body().get("count").asInt()).isEqualTo(r.body().get("alerts").size());
            assertThat(r.body().get("text").asText()).contains("Digest · " + r.body().get("count").asInt() + " alerts")
                    .contains("c-flood " + r.body().get("count").asInt());
        });
        assertThat(singles.size() + digests.stream().mapToInt(r -> r.body().get("count").asInt()).sum()).isEqualTo(1000);
        Await.until("digest metric", Duration.ofSeconds(5),
                () -> metric(d, "pulse_dispatcher_alerts_digested_total", "channel", "ops") == 1000 - singles.size(),
                () -> "digested " + metric(d, "pulse_dispatcher_alerts_digested_total", "channel", "ops"));
    }

    // ---- helpers ----

    private <T extends AutoCloseable> T track(T r) {
        resources.add(r);
        return r;
    }

    private static List<ObjectNode> mixedAlerts(String scenario, int n) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = alertId(scenario, i);
            String community = "c" + (i % 4);
            Instant ts = BEGINNING.plusSeconds(i);
            out.add(switch (i % 3) {
                case 0 -> TestAlerts.negativeMessage(id, community, "u" + i, ts);
                case 1 -> TestAlerts.memberAtRisk(id, community, "u" + i, ts);
                default -> TestAlerts.negativeSpike(id, community, i % 2 == 0 ? "firing" : "resolved", ts);
            });
        }
        return out;
    }

    private static Set<String> ids(List<ObjectNode> alerts) {
        return alerts.stream().map(a -> a.get("alert_id").asText()).collect(Collectors.toSet());
    }

    private Path writeConfig(String scenario, String group, String url, Map<String, String> opts) throws IOException {
        Path secrets = tmp.resolve("secrets.properties");
        Files.writeString(secrets, "hook.url=" + url + "\nhook.secret=" + SECRET + "\n");
        String yaml = String.join("\n",
                "kafka:",
                "  bootstrap_servers: " + broker.bootstrapServers(),
                "  group_id: " + group,
                "  alerts_topic: " + scenario + ".alerts",
                "  undelivered_topic: " + scenario + ".undelivered",
                "  delivered_topic: " + scenario + ".delivered",
                opts.containsKey("kafka_properties") ? "  properties: " + opts.get("kafka_properties") : "",
                "secrets_file: secrets.properties",
                "metrics: {port: 0}",
                "delivery:",
                "  max_attempts: " + opts.getOrDefault("max_attempts", "10"),
                "  initial_backoff_ms: 50",
                "  max_backoff_ms: 400",
                "  request_timeout_ms: " + opts.getOrDefault("request_timeout_ms", "2000"),
                "  shutdown_grace_ms: 2000",
                "channels:",
                "  ops:",
                "    type: webhook",
                "    url: ${secret:hook.url}",
                "    secret: ${secret:hook.secret}",
                "    concurrency: " + opts.getOrDefault("concurrency", "1"),
                opts.containsKey("rate_limit") ? "    rate_limit: " + opts.get("rate_limit") : "",
                "routes:",
                "  default:",
                "    - channel: ops",
                "");
        Path file = tmp.resolve(group + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private AlertDispatcher start(Path cfgFile) {
        DispatcherConfig cfg = ConfigLoader.load(cfgFile);
        AlertDispatcher d = track(new AlertDispatcher(cfg, new SecretResolver(System::getenv, Path.of(cfg.secretsFile)),
                new PrometheusRegistry())).start();
        Await.until("partitions assigned", Duration.ofSeconds(30), d::isReady, () -> "");
        return d;
    }

    private static Process startChildJvm(Path cfg, Path log) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", cp, DispatcherMain.class.getName(), "--config", cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void produce(String topic, List<ObjectNode> alerts) {
        try (KafkaProducer<String, byte[]> p = producer(null)) {
            for (ObjectNode a : alerts) {
                p.send(new ProducerRecord<>(topic, a.get("community_id").asText(), TestAlerts.bytes(a)));
            }
        }
    }

    private static void produceRaw(String topic, byte[] value) {
        try (KafkaProducer<String, byte[]> p = producer(null)) {
            p.send(new ProducerRecord<>(topic, "c1", value));
        }
    }

    /** Alerts in an aborted transaction: a read_committed consumer must never deliver them. */
    private static void produceAborted(String topic, List<ObjectNode> alerts) {
        try (KafkaProducer<String, byte[]> p = producer("aborting-" + topic)) {
            p.initTransactions();
            p.beginTransaction();
            for (ObjectNode a : alerts) {
                p.send(new ProducerRecord<>(topic, a.get("community_id").asText(), TestAlerts.bytes(a)));
            }
            p.flush();
            p.abortTransaction();
        }
    }

    private static KafkaProducer<String, byte[]> producer(String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static JsonNode read(byte[] b) {
        try {
            return MAPPER.readTree(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Scrapes the dispatcher's own Prometheus endpoint: the value of one sample, 0 when absent. */
    static double metric(AlertDispatcher d, String name, String... labels) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < labels.length; i += 2) {
                l.append(l.length() == 0 ? "" : ",").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
            }
            String sel = labels.length == 0 ? "" : "\\{" + Pattern.quote(l.toString()) + "[^}]*}";
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + sel + " ([0-9.eE+-]+)").matcher(r.body());
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
