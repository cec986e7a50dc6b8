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
import java.util.HashMap;
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
 * double-counted, every metric exact: windows of every size, every rolling record as emitted),
 * revisions must rise per key, and the two runs must agree with each other. The size is
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
    /** The recount's windows of every granularity, keyed {@code community|window|start}. */
    static Map<String, Map<String, Double>> expectedWindows;
    /** Calendar days of the recount: the job's default time zone, Asia/Shanghai, has no daylight saving. */
    static final long ZONE_OFFSET_MS = 8 * 3_600_000L;
    /** How many differences an assertion message spells out. */
    static final int SHOWN = 5;

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
        recount = new MetricsRecount(in, new HashSet<>(truth.lateEventIds()), 60_000, ZONE_OFFSET_MS, 60_000, 86_400_000L, 90 * 86_400_000L);
        expectedWindows = recount.windows("PT1M");
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
        // A window record of any other size would escape the per-granularity comparisons.
        Set<String> sizes = new TreeSet<>();
        outputs.topic("pulse.metrics").forEach(m -> {
            if (m.get("kind").asText().equals("window")) sizes.add(m.get("window").asText());
        });
        assertThat(sizes).as("window sizes emitted").containsExactlyInAnyOrder("PT1M", "PT1H", "P1D");
        assertWindowsMatchRecount(outputs, "PT1M");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldMatchIndependentRecountForEveryHourWindow(String mode, Outputs outputs) {
        assertWindowsMatchRecount(outputs, "PT1H");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldMatchIndependentRecountForEveryDayWindow(String mode, Outputs outputs) {
        // The recount cuts days at a fixed offset; if the default zone changed, every day window
        // would differ and the cause would be hard to see in the diff.
        java.time.ZoneId zone = PulseConfig.defaults().get(PulseConfig.TIMEZONE);
        for (long t : new long[] {generatorConfig().startTs(), generatorConfig().endTs()}) {
            assertThat(zone.getRules().getOffset(java.time.Instant.ofEpochMilli(t)).getTotalSeconds() * 1000L)
                    .as("offset of the job's time zone %s at %d, as the recount assumes", zone, t).isEqualTo(ZONE_OFFSET_MS);
        }
        assertWindowsMatchRecount(outputs, "P1D");
    }

    /** The latest revision of every window of one size, per community and "*", equals the recount, and no window is missing or extra. */
    private static void assertWindowsMatchRecount(Outputs outputs, String size) {
        Map<String, Map<String, Double>> expected = new TreeMap<>();
        expectedWindows.forEach((k, v) -> {
            if (k.split("\\|")[1].equals(size)) expected.put(k, v);
        });
        Map<String, Map<String, Double>> actual = new TreeMap<>();
        outputs.latestMetrics().forEach((k, m) -> {
            if (m.get("kind").asText().equals("window") && m.get("window").asText().equals(size)) actual.put(k, Outputs.values(m));
        });
        assertThat(expected).as("recount %s windows", size).isNotEmpty();
        assertThat(expected.keySet()).as("the recount's %s windows include the global total", size).anyMatch(k -> k.startsWith("*|"));
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        assertThat(missing.size()).as("%s windows of the recount never emitted: %d of %d, first %s", size, missing.size(), expected.size(),
                first(missing)).isZero();
        assertThat(extra.size()).as("%s windows emitted but not in the recount: %d, first %s", size, extra.size(), first(extra)).isZero();
        List<String> diffs = new ArrayList<>();
        expected.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) diffs.add(k + ": " + difference(v, actual.get(k)));
        });
        assertThat(diffs.size()).as("%s windows (latest revision) differing from the recount: %d of %d, first:%n  %s", size, diffs.size(),
                expected.size(), String.join("\n  ", first(diffs))).isZero();
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

    /**
     * Every rolling record as emitted, each revision and not only the latest: a consumer may act on
     * any of them, and the record {@code as_of t} must hold the values at {@code t}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldMatchIndependentRecountForEveryRollingRecord(String mode, Outputs outputs) {
        List<JsonNode> rolling = outputs.topic("pulse.metrics").stream().filter(m -> m.get("kind").asText().equals("rolling")).toList();
        assertThat(rolling).isNotEmpty();
        Map<String, Set<Long>> asOfs = new TreeMap<>();
        rolling.forEach(m -> asOfs.computeIfAbsent(m.get("community_id").asText(), c -> new TreeSet<>()).add(m.get("as_of").asLong()));
        assertThat(asOfs).as("rolling records of the global total").containsKey("*");
        long started = System.nanoTime();
        Map<String, Map<Long, Map<String, Double>>> expected = new TreeMap<>();
        asOfs.forEach((c, ts) -> expected.put(c, recount.rollingAt(c, ts)));
        System.out.printf("%s: recount of %d rolling records (%d communities) in %d ms%n", mode, rolling.size(), asOfs.size(),
                (System.nanoTime() - started) / 1_000_000);

        // The sweep is only trusted as far as it agrees with the plain definition.
        List<String> sweepDiffs = new ArrayList<>();
        int step = Math.max(1, rolling.size() / 100);
        for (int i = 0; i < rolling.size(); i += step) {
            String c = rolling.get(i).get("community_id").asText();
            long t = rolling.get(i).get("as_of").asLong();
            Map<String, Double> direct = recount.rolling(c, t);
            if (!direct.equals(expected.get(c).get(t))) sweepDiffs.add(c + "|rolling|" + t + ": " + difference(direct, expected.get(c).get(t)));
        }
        assertThat(sweepDiffs.size()).as("recount sweep differing from the recount's definition (a test bug): %d, first:%n  %s", sweepDiffs.size(),
                String.join("\n  ", first(sweepDiffs))).isZero();

        List<String> diffs = new ArrayList<>();
        for (JsonNode m : rolling) {
            Map<String, Double> e = expected.get(m.get("community_id").asText()).get(m.get("as_of").asLong());
            Map<String, Double> a = Outputs.values(m);
            if (!e.equals(a)) diffs.add(Outputs.metricKey(m) + " revision " + m.get("revision").asLong() + ": " + difference(e, a));
        }
        assertThat(diffs.size()).as("rolling records differing from the recount at their as_of: %d of %d, first:%n  %s", diffs.size(),
                rolling.size(), String.join("\n  ", first(diffs))).isZero();
    }

    /**
     * Upserts are ordered by revision: for every metric key, each record in topic order has a
     * higher revision than the one before (a repeat or a step back would make a consumer keep a
     * stale value). Rolling records are also upserted by community alone (their revision is the
     * boundary's ordinal), so their revisions must rise per community too.
     *
     * <p>Kafka: the check runs over the records in the order read, which is each partition's offset
     * order interleaved. That is the partition order of a key because all records of a key share one
     * partition: the sink keys metric records by community id and leaves the partition to Kafka's
     * key hash, so a community, and every metric key of it, lives in a single partition.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void shouldRaiseRevisionWithEveryRecordOfAKey(String mode, Outputs outputs) {
        List<JsonNode> metrics = outputs.topic("pulse.metrics");
        assertThat(metrics).isNotEmpty();
        Map<String, Long> lastByKey = new HashMap<>();
        Map<String, Long> lastRollingByCommunity = new HashMap<>();
        Map<String, Integer> records = new HashMap<>();
        List<String> byKey = new ArrayList<>();
        List<String> byCommunity = new ArrayList<>();
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode m = metrics.get(i);
            String key = Outputs.metricKey(m);
            long revision = m.get("revision").asLong();
            records.merge(key, 1, Integer::sum);
            Long before = lastByKey.put(key, revision);
            if (before != null && revision <= before) byKey.add(key + ": revision " + revision + " after " + before + " (record " + i + ")");
            if (m.get("kind").asText().equals("rolling")) {
                String community = m.get("community_id").asText();
                before = lastRollingByCommunity.put(community, revision);
                if (before != null && revision <= before) {
                    byCommunity.add(community + ": rolling revision " + revision + " (as_of " + m.get("as_of").asLong() + ") after " + before
                            + " (record " + i + ")");
                }
            }
        }
        long revised = records.values().stream().filter(n -> n > 1).count();
        System.out.printf("%s: %d metric records, %d keys, %d of them emitted more than once%n", mode, metrics.size(), records.size(), revised);
        assertThat(byKey.size()).as("records whose revision does not exceed the previous one of their key: %d, first:%n  %s", byKey.size(),
                String.join("\n  ", first(byKey))).isZero();
        assertThat(byCommunity.size()).as("rolling records whose revision does not exceed the community's previous one: %d, first:%n  %s",
                byCommunity.size(), String.join("\n  ", first(byCommunity))).isZero();
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
     * CONTRACT §6 on generated data: every planted negative episode fires a NEGATIVE_SPIKE
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

    private static List<String> first(java.util.Collection<String> all) {
        return all.stream().limit(SHOWN).toList();
    }

    /** The metrics on which two value maps disagree ("absent": the record leaves the metric out). */
    private static String difference(Map<String, Double> expected, Map<String, Double> actual) {
        if (actual == null) return "no record";
        Set<String> names = new TreeSet<>(expected.keySet());
        names.addAll(actual.keySet());
        List<String> d = new ArrayList<>();
        for (String n : names) {
            Double e = expected.get(n);
            Double a = actual.get(n);
            if (!java.util.Objects.equals(e, a)) d.add(n + " expected " + (e == null ? "absent" : e) + " actual " + (a == null ? "absent" : a));
        }
        return String.join(", ", d);
    }

    private static List<String> raw(Outputs o, String topic, String field) {
        List<String> l = new ArrayList<>();
        o.topic(topic).forEach(a -> l.add(a.get(field).asText()));
        l.sort(null);
        return l;
    }
}
