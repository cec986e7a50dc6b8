package com.communitypulse.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.generator.GroundTruth;
import com.communitypulse.generator.JsonlWriter;
import com.communitypulse.testutils.MetricsRecount;
import com.communitypulse.testutils.TestKeys;
import com.communitypulse.privacy.Pseudonymizer;
import com.communitypulse.testutils.Outputs;
import com.communitypulse.testutils.Schemas;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.testutils.KafkaRuns;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline over generated data with duplicates, out-of-order, late and malformed events,
 * twice: in file mode and through a real Kafka broker (generator → broker → job on a MiniCluster
 * with exactly-once sinks → read_committed consumer). Each run is checked against the generator's
 * ground truth and against the independent {@link MetricsRecount} (nothing lost, nothing
 * double-counted, every metric exact), and the two runs must agree with each other. The size is
 * set by {@code -Dpulse.recount.events} (default 60,000 to keep CI fast; the 1,000,000-event run
 * of the issue uses the same test).
 */
class PipelineRecountITCase {
    static final long EVENTS = Long.getLong("pulse.recount.events", 60_000);
    @TempDir static Path tmp;
    static GroundTruth truth;
    static Outputs fileOutputs;
    static Outputs kafkaOutputs;
    static MetricsRecount recount;

    static Stream<Arguments> runs() {
        return Stream.of(Arguments.of("file", fileOutputs), Arguments.of("kafka", kafkaOutputs));
    }

    static GeneratorConfig generatorConfig() {
        // Late events 6 h behind stream time: "late" is judged against the partition's own progress,
        // and a Kafka partition of a sparse topic can be quiet for an hour at night.
        return GeneratorConfig.builder().seed(7).communities(30).members((int) Math.max(1500, EVENTS / 40)).days(4)
                .eventsTarget(EVENTS).lateByMs(6 * 3_600_000L).build();
    }

    static PulseConfig jobConfig(Path tmp) {
        // Pseudonymisation on (the default): the recount applies the same key to compare members.
        return PulseConfig.of(Map.of("checkpoint.dir", tmp.resolve("cp").toUri().toString(), "metrics.prometheus-port", "0", "web.port", "0",
                "privacy.key-file", TestKeys.file(tmp.resolve("keys"))));
    }

    @BeforeAll
    static void run() throws Exception {
        Path in = tmp.resolve("in");
        truth = JsonlWriter.write(generatorConfig(), in);
        PulseJob.runFiles(jobConfig(tmp), in, tmp.resolve("out"));
        fileOutputs = Outputs.fromDir(tmp.resolve("out"));
        try (KafkaBroker broker = KafkaBroker.builder().start()) {
            KafkaRuns.createTopics(broker);
            KafkaRuns.produce(broker.bootstrapServers(), generatorConfig());
            PulseConfig cfg = jobConfig(tmp).with("kafka.bootstrap-servers", broker.bootstrapServers()).with("kafka.bounded", "true")
                    .with("kafka.group-id", "recount-it").with("checkpoint.interval", "2s")
                    .with("checkpoint.dir", tmp.resolve("cp-kafka").toUri().toString());
            // Generous for the 1M-event run on a loaded machine; a hung job still fails the test.
            PulseJob.startLocalKafka(cfg, false).getJobExecutionResult().get(Math.max(10, EVENTS / 10_000), TimeUnit.MINUTES);
            kafkaOutputs = KafkaRuns.readCommitted(broker.bootstrapServers());
        }
        recount = new MetricsRecount(in, new HashSet<>(truth.lateEventIds()), 60_000, 8 * 3_600_000L, 60_000, 86_400_000L, 90 * 86_400_000L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldDeadLetterEveryMalformedRecordWithReason(String mode, Outputs outputs) {
        List<JsonNode> dlq = outputs.topic("pulse.dlq");
        assertThat(dlq).hasSize((int) truth.total(GroundTruth.TopicCounts::malformed));
        for (JsonNode d : dlq) {
            assertThat(d.get("reason").asText()).isNotBlank();
            assertThat(Schemas.validate("dead-letter", d.toString())).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldRouteExactlyThePlantedLateEventsToLateTopic(String mode, Outputs outputs) {
        Set<String> late = new HashSet<>();
        for (JsonNode l : outputs.topic("pulse.late")) {
            late.add(l.get("event").get("event_id").asText());
            assertThat(Schemas.validate("late-event", l.toString())).isEmpty();
        }
        assertThat(late).containsExactlyInAnyOrderElementsOf(truth.lateEventIds());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldMatchIndependentRecountForEveryWindowMetric(String mode, Outputs outputs) {
        Map<String, Map<String, Double>> expected = recount.windows("PT1M");
        Map<String, Map<String, Double>> actual = new TreeMap<>();
        outputs.latestMetrics().forEach((k, m) -> {
            if (m.get("kind").asText().equals("window")) actual.put(k, Outputs.values(m));
        });
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        List<String> diffs = new ArrayList<>();
        expected.forEach((k, v) -> {
            Map<String, Double> a = new TreeMap<>(actual.get(k));
            a.remove("posts_unused");
            if (!a.equals(v)) diffs.add(k + "\n  expected " + v + "\n  actual   " + a);
        });
        assertThat(diffs).as("window metrics differing from the recount").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldCountEveryUniqueGoodEventExactlyOnce(String mode, Outputs outputs) {
        long good = truth.total(GroundTruth.TopicCounts::goodUnique);
        assertThat(recount.size()).isEqualTo(good);
        JsonNode messages = null;
        long windowed = 0;
        for (JsonNode m : outputs.latestMetrics().values()) {
            if (m.get("kind").asText().equals("window") && m.get("community_id").asText().equals("*") && m.get("window").asText().equals("P1D")) {
                JsonNode v = m.get("metrics");
                windowed += v.get("messages").asLong() + v.get("reactions").asLong() + v.get("shares").asLong() + v.get("joins").asLong()
                        + v.get("leaves").asLong() + v.get("views").asLong() + v.get("clicks").asLong() + v.get("add_to_carts").asLong()
                        + v.get("orders").asLong() + v.get("refunds").asLong();
                messages = v;
            }
        }
        assertThat(messages).isNotNull();
        assertThat(windowed).isEqualTo(good);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldMatchIndependentRecountForRollingGauges(String mode, Outputs outputs) {
        List<JsonNode> rolling = new ArrayList<>();
        outputs.latestMetrics().values().forEach(m -> {
            if (m.get("kind").asText().equals("rolling")) rolling.add(m);
        });
        assertThat(rolling).isNotEmpty();
        List<String> diffs = new ArrayList<>();
        int step = Math.max(1, rolling.size() / 300);
        for (int i = 0; i < rolling.size(); i += step) {
            JsonNode m = rolling.get(i);
            Map<String, Double> expected = recount.rolling(m.get("community_id").asText(), m.get("as_of").asLong());
            if (!expected.equals(Outputs.values(m))) diffs.add(m + "\n  expected " + expected);
        }
        assertThat(diffs).as("rolling records differing from the recount").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldMatchIndependentRecountForRetentionCohorts(String mode, Outputs outputs) {
        Map<String, Map<String, Double>> actual = new TreeMap<>();
        outputs.latestMetrics().forEach((k, m) -> {
            if (m.get("kind").asText().equals("retention")) actual.put(k, Outputs.values(m));
        });
        Map<String, Map<String, Double>> expected = recount.retention();
        assertThat(expected).isNotEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldMatchIndependentRecountForTopContributors(String mode, Outputs outputs) {
        Map<String, List<String>> actual = new TreeMap<>();
        outputs.latestMetrics().forEach((k, m) -> {
            if (m.get("kind").asText().equals("top_contributors")) {
                List<String> ids = new ArrayList<>();
                m.get("top").forEach(t -> ids.add(t.get("user_id").asText()));
                actual.put(k, ids);
            }
        });
        Pseudonymizer ids = TestKeys.pseudonymizer();
        Map<String, List<String>> expected = recount.topContributors(10, ids::seal, ids::pseudonym);
        assertThat(expected).isNotEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * SPEC §6 / issue 5 on generated data: every planted negative episode fires a NEGATIVE_SPIKE
     * within 15 minutes of its start, and firings outside the planted episodes (ordinary chat, about
     * 6 % negative) stay at or below 1 per 100 community-days.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldDetectEveryPlantedNegativeEpisodeWithinFifteenMinutesAndRarelyAnythingElse(String mode, Outputs outputs) {
        long quarter = 15 * 60_000L;
        List<JsonNode> firing = outputs.topic("pulse.alerts").stream()
                .filter(a -> a.get("type").asText().equals("NEGATIVE_SPIKE") && a.get("state").asText().equals("firing")).toList();
        assertThat(truth.negativeEpisodes()).hasSize(generatorConfig().negativeEpisodes());
        List<JsonNode> explained = new ArrayList<>();
        for (GroundTruth.NegativeEpisode ep : truth.negativeEpisodes()) {
            List<JsonNode> inTime = firing.stream().filter(a -> a.get("community_id").asText().equals(ep.communityId())
                    && a.get("event_ts").asLong() >= ep.startTs() && a.get("event_ts").asLong() <= ep.startTs() + quarter).toList();
            assertThat(inTime).as("a firing within 15 min of the episode in %s at %d", ep.communityId(), ep.startTs()).hasSize(1);
            firing.stream().filter(a -> a.get("community_id").asText().equals(ep.communityId())
                    && a.get("event_ts").asLong() >= ep.startTs() && a.get("event_ts").asLong() <= ep.endTs() + quarter).forEach(explained::add);
        }
        List<JsonNode> unexplained = new ArrayList<>(firing);
        unexplained.removeAll(explained);
        long communityDays = (long) generatorConfig().communities() * generatorConfig().days();
        System.out.printf("%s: %d planted negative episodes, %d NEGATIVE_SPIKE firings, %d outside episodes over %d community-days%n",
                mode, truth.negativeEpisodes().size(), firing.size(), unexplained.size(), communityDays);
        assertThat(unexplained.size() * 100L).as("false spikes per 100 community-days: %s", unexplained).isLessThanOrEqualTo(communityDays);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldWriteOnlySchemaValidRecords(String mode, Outputs outputs) {
        for (String topic : List.of("pulse.metrics", "pulse.alerts")) {
            for (JsonNode m : outputs.topic(topic)) {
                assertThat(Schemas.validate(Schemas.forTopic(topic), m.toString())).as(m.toString()).isEmpty();
            }
        }
    }

    @Test
    void shouldGiveSameOutputsInFileModeAndThroughKafka() {
        Map<String, Map<String, Double>> file = new TreeMap<>();
        Map<String, Map<String, Double>> kafka = new TreeMap<>();
        fileOutputs.latestMetrics().forEach((k, m) -> file.put(k, Outputs.values(m)));
        kafkaOutputs.latestMetrics().forEach((k, m) -> kafka.put(k, Outputs.values(m)));
        assertThat(kafka).isEqualTo(file);
        try {
            java.nio.file.Files.write(java.nio.file.Path.of("target", "alerts-kafka.txt"), alerts(kafkaOutputs));
            java.nio.file.Files.write(java.nio.file.Path.of("target", "alerts-file.txt"), alerts(fileOutputs));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Set<String> onlyKafka = new TreeSet<>(alerts(kafkaOutputs));
        onlyKafka.removeAll(alerts(fileOutputs));
        Set<String> onlyFile = new TreeSet<>(alerts(fileOutputs));
        onlyFile.removeAll(alerts(kafkaOutputs));
        assertThat(onlyKafka).as("alerts only on the Kafka path (file-only: %s)", onlyFile).isEmpty();
        assertThat(onlyFile).as("alerts only in file mode").isEmpty();
        assertThat(raw(kafkaOutputs, "pulse.dlq", "raw_base64")).isEqualTo(raw(fileOutputs, "pulse.dlq", "raw_base64"));
        assertThat(kafkaOutputs.topic("pulse.late")).hasSameSizeAs(fileOutputs.topic("pulse.late"));
        assertThat(fileOutputs.topic("pulse.metrics")).isNotEmpty();
    }

    /**
     * Sentiment alerts must be identical records; for member and churn alerts the ids, types,
     * states and times must be identical, but their evidence can differ by a few counts: replies
     * received reach the lifecycle operator on a second, re-keyed input that is not ordered against
     * the member's own events, so a leave on the day of a reply may or may not count it (known,
     * documented in the lifecycle package).
     */
    private static Set<String> alerts(Outputs o) {
        Set<String> s = new TreeSet<>();
        o.topic("pulse.alerts").forEach(a -> {
            String type = a.get("type").asText();
            if (type.startsWith("NEGATIVE_")) {
                s.add(Outputs.withoutEmittedAt(a).toString());
            } else {
                s.add(a.get("alert_id").asText() + " " + type + " " + a.path("state").asText() + " " + a.get("community_id").asText()
                        + " " + a.path("user_id").asText() + " " + a.get("event_ts").asLong());
            }
        });
        return s;
    }

    private static List<String> raw(Outputs o, String topic, String field) {
        List<String> l = new ArrayList<>();
        o.topic(topic).forEach(a -> l.add(a.get(field).asText()));
        l.sort(null);
        return l;
    }
}
