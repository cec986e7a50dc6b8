package com.communitypulse.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.cli.PulseCli;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.events.EventJson;
import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.generator.JsonlWriter;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseJob;
import com.communitypulse.kafka.KafkaConnections;
import com.communitypulse.testutils.KafkaRuns;
import com.communitypulse.testutils.LogCapture;
import com.communitypulse.testutils.Outputs;
import com.communitypulse.testutils.TeeStream;
import com.communitypulse.testutils.TestKeys;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary test of docs/PRIVACY.md. A small generated data set plus canary events — marker user ids and
 * marker phrases, as members who join, post, reply, react, complain (a NEGATIVE_MESSAGE alert),
 * click, buy and send a late message — runs through the pipeline twice:
 * <ol>
 *   <li>file mode, grepping every output file;</li>
 *   <li>streaming on a real broker over its SASL_SSL/SCRAM listener (generated certificate), with
 *       checkpoints every 2 s and a savepoint, grepping every output topic, every checkpoint and
 *       savepoint file, everything logged in this JVM and by the broker, and the job's Prometheus
 *       scrape.</li>
 * </ol>
 * Raw marker ids may appear only in alerts (privacy.alerts.original-user-id, the default); marker
 * phrases nowhere (alert excerpts mask all but matched terms). Then the same broker shows that a
 * wrong password fails {@code pulse run} in one line within seconds and that no password is ever
 * printed or logged. One broker and one streaming job serve both halves to keep CI time down.
 */
class PrivacyCanaryITCase {
    static final List<String> MARKER_IDS = List.of("zz-canary-id-A1", "zz-canary-id-B2", "zz-canary-id-C3");
    static final List<String> MARKER_PHRASES = List.of("quixotic-zebra-canary", "斑马金丝雀暗号");
    static final String COMMUNITY = "c-canary";
    static final String LATE_EVENT = "canary-ev-late";

    @TempDir
    static Path tmp;

    static GeneratorConfig gen = GeneratorConfig.builder().seed(23).communities(5).members(200).days(1).eventsTarget(2_000).build();
    static Map<String, List<byte[]>> canary;
    static Outputs fileOutputs;
    static Map<String, String> fileTexts = new LinkedHashMap<>();
    static Outputs kafkaOutputs;
    static Map<Path, byte[]> stateFiles = new LinkedHashMap<>();
    static String scrape;
    static String logs;
    static String brokerLog;
    static String printed;
    static String password = "pw-" + UUID.randomUUID();
    static String wrong = "wrong-" + UUID.randomUUID();
    static int wrongExit;
    static String wrongErr;
    static double wrongSeconds;
    static PulseConfig secureCfg;

    @BeforeAll
    static void run() throws Exception {
        canary = canaryEvents(gen.endTs() + 60_000);
        Path in = tmp.resolve("in");
        JsonlWriter.write(gen, in);
        for (var e : canary.entrySet()) {
            for (byte[] line : e.getValue()) {
                Files.write(in.resolve(e.getKey() + ".jsonl"), (new String(line, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8),
                        StandardOpenOption.APPEND);
            }
        }
        String keyFile = TestKeys.file(tmp.resolve("keys"));
        PulseJob.runFiles(PulseConfig.of(Map.of("checkpoint.dir", tmp.resolve("cp-file").toUri().toString(), "metrics.prometheus-port", "0",
                "web.port", "0", "privacy.key-file", keyFile)), in, tmp.resolve("out"));
        fileOutputs = Outputs.fromDir(tmp.resolve("out"));
        try (Stream<Path> files = Files.list(tmp.resolve("out"))) {
            for (Path f : files.collect(Collectors.toList())) fileTexts.put(f.getFileName().toString(), Files.readString(f));
        }

        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        Path pwFile = Files.writeString(secrets.resolve("kafka.password"), password + "\n");
        Path wrongFile = Files.writeString(secrets.resolve("wrong.password"), wrong + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        try (LogCapture capture = new LogCapture();
             KafkaBroker broker = KafkaBroker.builder().saslSsl("pulse", password).start()) {
            System.setOut(new PrintStream(new TeeStream(out, stdout), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new TeeStream(out, stderr), true, StandardCharsets.UTF_8));
            Path tsPw = Files.writeString(secrets.resolve("truststore.password"), broker.truststorePassword());
            int promPort = KafkaBroker.freePort();
            Map<String, String> m = new LinkedHashMap<>();
            m.put("kafka.bootstrap-servers", broker.saslSslBootstrapServers());
            m.put("kafka.security.protocol", "SASL_SSL");
            m.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
            m.put("kafka.sasl.username", "pulse");
            m.put("kafka.sasl.password-file", pwFile.toString());
            m.put("kafka.ssl.truststore", broker.truststore().toString());
            m.put("kafka.ssl.truststore-password-file", tsPw.toString());
            m.put("privacy.key-file", keyFile);
            m.put("metrics.prometheus-port", Integer.toString(promPort));
            m.put("web.port", "0");
            m.put("checkpoint.interval", "2s");
            m.put("checkpoint.dir", tmp.resolve("cp").toUri().toString());
            m.put("savepoint.dir", tmp.resolve("sp").toUri().toString());
            m.put("kafka.group-id", "canary-it");
            m.put("kafka.starting-offsets", "earliest");
            secureCfg = PulseConfig.of(m);

            Map<String, Integer> topics = new LinkedHashMap<>();
            KafkaRuns.INPUTS.forEach(t -> topics.put(t, 1));
            KafkaRuns.OUTPUTS.forEach(t -> topics.put(t, 1));
            broker.createTopics(topics, OutputTopic.topicConfigs(secureCfg));
            Properties client = KafkaConnections.clientProperties(secureCfg);
            KafkaRuns.produce(client, gen);
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(client, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (var e : canary.entrySet()) {
                    for (byte[] v : e.getValue()) p.send(new ProducerRecord<>(e.getKey(), v));
                }
                p.flush();
            }

            JobClient job = PulseJob.startLocalKafka(secureCfg, false);
            try {
                kafkaOutputs = awaitCanaryOutputs(client);
                scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                job.triggerSavepoint(tmp.resolve("sp").toUri().toString(), SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
            } finally {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
            for (Path dir : List.of(tmp.resolve("cp"), tmp.resolve("sp"))) {
                try (Stream<Path> s = Files.walk(dir)) {
                    for (Path f : s.filter(Files::isRegularFile).collect(Collectors.toList())) stateFiles.put(f, Files.readAllBytes(f));
                }
            }

            // Wrong password: the CLI must stop before submitting, in one line.
            List<String> args = new ArrayList<>(List.of("run"));
            secureCfg.with("kafka.sasl.password-file", wrongFile.toString()).with("metrics.prometheus-port", "0").overrides().forEach((k, v) -> {
                args.add("--" + k);
                args.add(v);
            });
            ByteArrayOutputStream cliErr = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            wrongExit = PulseCli.run(args.toArray(new String[0]), new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(cliErr, true, StandardCharsets.UTF_8));
            wrongSeconds = (System.nanoTime() - t0) / 1e9;
            wrongErr = cliErr.toString(StandardCharsets.UTF_8);
            out.write(cliErr.toByteArray());
            logs = capture.text();
            brokerLog = Files.readString(broker.logFile());
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        printed = out.toString(StandardCharsets.UTF_8);
        System.out.printf("PrivacyCanaryITCase: %d file outputs, %d Kafka output records, %d checkpoint/savepoint files (%d KB), scrape %d KB, "
                        + "logs %d KB; wrong password rejected in %.1f s: %s",
                fileTexts.values().stream().mapToInt(String::length).sum(), KafkaRuns.OUTPUTS.stream().mapToInt(t -> kafkaOutputs.topic(t).size()).sum(),
                stateFiles.size(), stateFiles.values().stream().mapToLong(b -> b.length).sum() / 1024, scrape.length() / 1024, logs.length() / 1024,
                wrongSeconds, wrongErr);
    }

    /** Canary events per input topic, in the order they are appended after the generated data. */
    static Map<String, List<byte[]>> canaryEvents(long t) {
        String a = MARKER_IDS.get(0);
        String b = MARKER_IDS.get(1);
        String c = MARKER_IDS.get(2);
        String phrases = String.join(" ", MARKER_PHRASES);
        List<PulseEvent> messages = new ArrayList<>();
        messages.add(PulseEvent.message("canary-ev-1", COMMUNITY, a, t, EventKind.JOIN, null));
        messages.add(PulseEvent.message("canary-ev-2", COMMUNITY, b, t + 1_000, EventKind.JOIN, null));
        messages.add(PulseEvent.message("canary-ev-3", COMMUNITY, a, t + 2_000, EventKind.POST, "hello everyone " + phrases));
        PulseEvent reply = PulseEvent.message("canary-ev-4", COMMUNITY, b, t + 3_000, EventKind.REPLY, "welcome " + phrases);
        reply.setReplyToUser(a);
        messages.add(reply);
        PulseEvent reaction = PulseEvent.message("canary-ev-5", COMMUNITY, c, t + 4_000, EventKind.REACTION, null);
        reaction.setReplyToUser(a);
        messages.add(reaction);
        messages.add(PulseEvent.message("canary-ev-6", COMMUNITY, b, t + 5_000, EventKind.POST,
                "this is a scam, I want a refund " + phrases + " 收到的是假货，太失望了，退钱"));
        // Two hours behind the partition: late, so it exercises the late topic.
        messages.add(PulseEvent.message(LATE_EVENT, COMMUNITY, a, t - 2 * 3_600_000L, EventKind.POST, "late " + phrases));
        // A quiet member three days later moves every watermark past the canary days (windows, top contributors fire).
        messages.add(PulseEvent.message("canary-ev-trail-1", "c-trailing", "trailing-user", t + 3 * 86_400_000L, EventKind.POST, "ok"));
        List<PulseEvent> clicks = List.of(
                PulseEvent.click("canary-ev-7", a, t + 6_000, EventKind.CLICK, "item-1", COMMUNITY, "share-canary"),
                PulseEvent.click("canary-ev-trail-2", "trailing-user", t + 3 * 86_400_000L, EventKind.VIEW, "item-2", null, null));
        List<PulseEvent> orders = List.of(
                PulseEvent.order("canary-ev-8", "order-canary", a, t + 7_000, EventKind.PAID, 1999, "CNY", COMMUNITY, null),
                PulseEvent.order("canary-ev-trail-3", "order-trailing", "trailing-user", t + 3 * 86_400_000L, EventKind.PAID, 100, "CNY", null, null));
        Map<String, List<byte[]>> m = new LinkedHashMap<>();
        m.put("pulse.messages", messages.stream().map(EventJson::toJson).collect(Collectors.toList()));
        m.put("pulse.clicks", clicks.stream().map(EventJson::toJson).collect(Collectors.toList()));
        m.put("pulse.orders", orders.stream().map(EventJson::toJson).collect(Collectors.toList()));
        return m;
    }

    /** Reads committed outputs until the canary's alert, late record and top contributors are there (bounded). */
    static Outputs awaitCanaryOutputs(Properties client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            Outputs o = KafkaRuns.readCommitted(client);
            boolean alert = o.topic("pulse.alerts").stream().anyMatch(x -> MARKER_IDS.get(1).equals(x.path("user_id").asText()));
            boolean late = o.topic("pulse.late").stream().anyMatch(x -> LATE_EVENT.equals(x.path("event").path("event_id").asText()));
            boolean top = o.topic("pulse.metrics").stream().anyMatch(x -> COMMUNITY.equals(x.path("community_id").asText())
                    && "top_contributors".equals(x.path("kind").asText()));
            if (alert && late && top) return o;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("canary outputs incomplete after 3 min: alert=" + alert + " late=" + late + " top=" + top);
            }
            Thread.sleep(2_000);
        }
    }

    static String text(Outputs o, String topic) {
        return o.topic(topic).stream().map(JsonNode::toString).collect(Collectors.joining("\n"));
    }

    static void assertNoMarkers(String where, String text, boolean idsAllowed) {
        for (String p : MARKER_PHRASES) assertThat(text).as(where + " must not contain the phrase " + p).doesNotContain(p);
        if (!idsAllowed) {
            for (String id : MARKER_IDS) assertThat(text).as(where + " must not contain the raw id " + id).doesNotContain(id);
        }
    }

    @Test
    void shouldKeepRawIdsOnlyInAlertsAndPhrasesNowhereWhenFileMode() {
        assertThat(fileTexts).containsKeys("pulse.metrics.jsonl", "pulse.lifecycle.jsonl", "pulse.alerts.jsonl", "pulse.late.jsonl");
        fileTexts.forEach((f, text) -> assertNoMarkers("file " + f, text, f.equals("pulse.alerts.jsonl")));
        assertCanaryWentThrough(fileOutputs);
    }

    @Test
    void shouldKeepRawIdsOnlyInAlertsAndPhrasesNowhereWhenKafkaWithCheckpoints() {
        for (String t : KafkaRuns.OUTPUTS) assertNoMarkers("topic " + t, text(kafkaOutputs, t), t.equals("pulse.alerts"));
        assertCanaryWentThrough(kafkaOutputs);
    }

    @Test
    void shouldKeepMarkersOutOfCheckpointsSavepointsLogsAndPrometheus() {
        assertThat(stateFiles.keySet()).anyMatch(p -> p.startsWith(tmp.resolve("cp"))).anyMatch(p -> p.startsWith(tmp.resolve("sp")));
        byte[] community = COMMUNITY.getBytes(StandardCharsets.UTF_8);
        // Positive control: the grep does see plain strings in state (the community is a key of several operators).
        assertThat(stateFiles.values()).as("a state file holding the canary community").anyMatch(b -> indexOf(b, community) >= 0);
        List<String> needles = new ArrayList<>(MARKER_IDS);
        needles.addAll(MARKER_PHRASES);
        for (var f : stateFiles.entrySet()) {
            for (String n : needles) {
                assertThat(indexOf(f.getValue(), n.getBytes(StandardCharsets.UTF_8))).as(f.getKey() + " contains " + n).isNegative();
            }
        }
        assertThat(scrape).contains("flink_");
        assertNoMarkers("Prometheus scrape", scrape, false);
        assertNoMarkers("logs", logs, false);
        assertNoMarkers("broker log", brokerLog, false);
        assertNoMarkers("stdout/stderr", printed, false);
    }

    @Test
    void shouldFailFastInOneLineWhenThePasswordIsWrong() {
        assertThat(wrongExit).isEqualTo(2);
        assertThat(wrongErr.strip()).doesNotContain("\n").contains("rejected the credentials of user 'pulse'").contains("kafka.sasl.password-file");
        assertThat(wrongSeconds).isLessThan(30);
    }

    @Test
    void shouldNeverPrintOrLogAPassword() {
        assertThat(logs).contains("SASL_SSL");
        for (String text : List.of(logs, brokerLog, printed, wrongErr, secureCfg.describe())) {
            assertThat(text).doesNotContain(password).doesNotContain(wrong);
        }
    }

    /** The canary reached every output kind: pseudonyms in lifecycle, metrics and late records, original ids in alerts. */
    static void assertCanaryWentThrough(Outputs o) {
        Pseudonymizer ids = TestKeys.pseudonymizer();
        String a = ids.pseudonym(MARKER_IDS.get(0));
        assertThat(text(o, "pulse.lifecycle")).contains(a);
        assertThat(o.topic("pulse.metrics")).anyMatch(m -> "top_contributors".equals(m.path("kind").asText()) && COMMUNITY.equals(m.path("community_id").asText())
                && m.path("key_id").asText().equals(TestKeys.KEY_ID) && m.path("top").toString().contains(a));
        assertThat(o.topic("pulse.late")).anyMatch(l -> LATE_EVENT.equals(l.path("event").path("event_id").asText())
                && a.equals(l.path("event").path("user_id").asText()) && l.path("event").has("text_chars"));
        List<JsonNode> canaryAlerts = o.topic("pulse.alerts").stream().filter(x -> MARKER_IDS.get(1).equals(x.path("user_id").asText()))
                .collect(Collectors.toList());
        assertThat(canaryAlerts).isNotEmpty().allMatch(x -> !x.has("key_id"));
        assertThat(canaryAlerts.get(0).path("evidence").path("excerpt").asText()).contains("scam").contains("*");
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
