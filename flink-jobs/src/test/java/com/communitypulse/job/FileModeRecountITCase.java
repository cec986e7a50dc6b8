package com.communitypulse.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.generator.GroundTruth;
import com.communitypulse.generator.JsonlWriter;
import com.communitypulse.testutils.MetricsRecount;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File mode over generated data with duplicates, out-of-order, late and malformed events, checked
 * against the generator's ground truth and against {@link MetricsRecount}: nothing lost, nothing
 * double-counted, every metric exact. The size is set by {@code -Dpulse.recount.events} (default
 * 60,000 to keep CI fast; the 1,000,000-event run uses the same test).
 */
class FileModeRecountITCase {
    static final long EVENTS = Long.getLong("pulse.recount.events", 60_000);
    @TempDir static Path tmp;
    static GroundTruth truth;
    static Outputs outputs;
    static MetricsRecount recount;

    static GeneratorConfig generatorConfig() {
        return GeneratorConfig.builder().seed(7).communities(30).members((int) Math.max(1500, EVENTS / 40)).days(3)
                .eventsTarget(EVENTS).build();
    }

    static PulseConfig jobConfig(Path tmp) {
        return PulseConfig.of(Map.of("checkpoint.dir", tmp.resolve("cp").toUri().toString(), "metrics.prometheus-port", "0", "web.port", "0"));
    }

    @BeforeAll
    static void run() throws Exception {
        Path in = tmp.resolve("in");
        truth = JsonlWriter.write(generatorConfig(), in);
        PulseJob.runFiles(jobConfig(tmp), in, tmp.resolve("out"));
        outputs = Outputs.fromDir(tmp.resolve("out"));
        recount = new MetricsRecount(in, new HashSet<>(truth.lateEventIds()), 60_000, 8 * 3_600_000L, 60_000, 86_400_000L, 90 * 86_400_000L);
    }

    @Test
    void shouldDeadLetterEveryMalformedRecordWithReason() {
        List<JsonNode> dlq = outputs.topic("pulse.dlq");
        assertThat(dlq).hasSize((int) truth.total(GroundTruth.TopicCounts::malformed));
        for (JsonNode d : dlq) {
            assertThat(d.get("reason").asText()).isNotBlank();
            assertThat(Schemas.validate("dead-letter", d.toString())).isEmpty();
        }
    }

    @Test
    void shouldRouteExactlyThePlantedLateEventsToLateTopic() {
        Set<String> late = new HashSet<>();
        for (JsonNode l : outputs.topic("pulse.late")) {
            late.add(l.get("event").get("event_id").asText());
            assertThat(Schemas.validate("late-event", l.toString())).isEmpty();
        }
        assertThat(late).containsExactlyInAnyOrderElementsOf(truth.lateEventIds());
    }

    @Test
    void shouldMatchIndependentRecountForEveryWindowMetric() {
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

    @Test
    void shouldCountEveryUniqueGoodEventExactlyOnce() {
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

    @Test
    void shouldMatchIndependentRecountForRollingGauges() {
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

    @Test
    void shouldWriteOnlySchemaValidMetricRecords() {
        for (JsonNode m : outputs.topic("pulse.metrics")) {
            assertThat(Schemas.validate("metric", m.toString())).as(m.toString()).isEmpty();
        }
    }
}
