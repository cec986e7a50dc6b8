package com.communitypulse.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.generator.GroundTruth;
import com.communitypulse.generator.JsonlWriter;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseJob;
import com.communitypulse.testutils.KafkaRuns;
import com.communitypulse.testutils.MetricsRecount;
import com.communitypulse.testutils.Outputs;
import com.communitypulse.testutils.TestKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse.metrics} as a table (docs/TOPICS.md): the job writes through its real
 * Kafka sink to a real broker (the topic created compacted, as docs/TOPICS.md suggests), and a Flink SQL
 * {@code upsert-kafka} table — the DDL of docs/TOPICS.md — reads it back. The table must hold exactly one row
 * per upsert key with that key's latest revision, and its window rows must equal the independent
 * {@link MetricsRecount}. The raw records show the key serialisation and the partitioning by community.
 */
class MetricsUpsertKafkaITCase {
    static final int PARTITIONS = 3;
    static final ObjectMapper OM = new ObjectMapper();
    @TempDir static Path tmp;
    static KafkaBroker broker;
    static List<ConsumerRecord<byte[], byte[]>> raw;
    static MetricsRecount recount;

    @BeforeAll
    static void run() throws Exception {
        GeneratorConfig gc = GeneratorConfig.builder().seed(21).communities(8).members(400).days(2).eventsTarget(8_000)
                .lateByMs(6 * 3_600_000L).build();
        Path in = tmp.resolve("in");
        GroundTruth truth = JsonlWriter.write(gc, in);
        recount = new MetricsRecount(in, new HashSet<>(truth.lateEventIds()), 60_000, 8 * 3_600_000L, 60_000, 86_400_000L, 90 * 86_400_000L);
        broker = KafkaBroker.builder().start();
        Map<String, Integer> topics = new LinkedHashMap<>();
        KafkaRuns.INPUTS.forEach(t -> topics.put(t, 2));
        KafkaRuns.OUTPUTS.forEach(t -> topics.put(t, t.equals("pulse.metrics") ? PARTITIONS : 2));
        Map<String, Map<String, String>> configs = new HashMap<>(OutputTopic.topicConfigs(PulseConfig.defaults()));
        configs.put("pulse.metrics", OutputTopic.compactedMetricsConfig());
        broker.createTopics(topics, configs);
        KafkaRuns.produce(broker.bootstrapServers(), gc);
        PulseConfig cfg = PulseConfig.of(Map.of("kafka.bootstrap-servers", broker.bootstrapServers(), "kafka.bounded", "true",
                "kafka.group-id", "upsert-it", "checkpoint.interval", "2s", "checkpoint.dir", tmp.resolve("cp").toUri().toString(),
                "metrics.prometheus-port", "0", "web.port", "0", "privacy.key-file", TestKeys.file(tmp.resolve("keys"))));
        PulseJob.startLocalKafka(cfg, false).getJobExecutionResult().get(10, TimeUnit.MINUTES);
        raw = readMetrics(broker.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    /** The upsert key of a metric record, computed from its value (the contract), independently of the job. */
    static String expectedKey(JsonNode v) {
        boolean rolling = v.get("kind").asText().equals("rolling");
        return "{\"community_id\":" + OM.valueToTree(v.get("community_id").asText()) + ",\"kind\":\"" + v.get("kind").asText()
                + "\",\"window\":\"" + (rolling ? "" : v.get("window").asText()) + "\",\"window_start\":" + (rolling ? 0 : v.get("window_start").asLong()) + "}";
    }

    @Test
    void shouldKeyEveryRecordByItsUpsertKeyAsJsonAndKeepEachCommunityInOnePartition() throws Exception {
        assertThat(raw).hasSizeGreaterThan(100);
        for (ConsumerRecord<byte[], byte[]> r : raw) {
            JsonNode v = OM.readTree(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(expectedKey(v));
            // Where Kafka's default partitioner put the record when its key was the community id.
            byte[] community = v.get("community_id").asText().getBytes(StandardCharsets.UTF_8);
            assertThat(r.partition()).as("partition of %s", v.get("community_id").asText())
                    .isEqualTo(BuiltInPartitioner.partitionForKey(community, PARTITIONS));
        }
    }

    @Test
    void shouldReadTheLatestRevisionPerKeyThroughAFlinkSqlUpsertKafkaTableEqualToTheRecount() throws Exception {
        // The latest revision of every key, from the raw records.
        Map<String, JsonNode> latest = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : raw) {
            JsonNode v = OM.readTree(r.value());
            latest.merge(expectedKey(v), v, (a, b) -> a.get("revision").asLong() >= b.get("revision").asLong() ? a : b);
        }
        assertThat(raw.size()).as("revisions were re-emitted: the table must collapse them").isGreaterThan(latest.size());

        Map<String, Row> table = upsertTable(broker.bootstrapServers());
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(latest.keySet());
        List<String> wrong = new ArrayList<>();
        table.forEach((k, row) -> {
            JsonNode want = latest.get(k);
            if (((Long) row.getField("revision")) != want.get("revision").asLong() || !metrics(row).equals(Outputs.values(want))) {
                wrong.add(k + ": table rev " + row.getField("revision") + " " + metrics(row) + ", latest rev " + want.get("revision") + " " + Outputs.values(want));
            }
        });
        assertThat(wrong).as("rows not holding the latest revision").isEmpty();

        Map<String, Map<String, Double>> windows = new TreeMap<>();
        table.values().stream().filter(row -> "window".equals(row.getField("kind")))
                .forEach(row -> windows.put(row.getField("community_id") + "|" + row.getField("window") + "|" + row.getField("window_start"), metrics(row)));
        Map<String, Map<String, Double>> expected = recount.windows("PT1M");
        assertThat(expected).isNotEmpty();
        assertThat(windows).isEqualTo(new TreeMap<>(expected));
    }

    private static Map<String, Double> metrics(Row row) {
        @SuppressWarnings("unchecked")
        Map<String, Double> m = (Map<String, Double>) row.getField("metrics");
        return new TreeMap<>(m);
    }

    /** The table definition of docs/TOPICS.md, bounded at the current end for the test; the changelog applied to a map. */
    private static Map<String, Row> upsertTable(String bootstrap) throws Exception {
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        t.getConfig().set("parallelism.default", "2");
        t.executeSql(String.join("\n",
                "CREATE TABLE pulse_metrics (",
                "  community_id STRING,",
                "  kind         STRING,",
                "  `window`     STRING,",
                "  window_start BIGINT,",
                "  window_end   BIGINT,",
                "  as_of        BIGINT,",
                "  revision     BIGINT,",
                "  metrics      MAP<STRING, DOUBLE>,",
                "  PRIMARY KEY (community_id, kind, `window`, window_start) NOT ENFORCED",
                ") WITH (",
                "  'connector' = 'upsert-kafka',",
                "  'topic' = 'pulse.metrics',",
                "  'properties.bootstrap.servers' = '" + bootstrap + "',",
                "  'properties.isolation.level' = 'read_committed',",
                "  'key.format' = 'json',",
                "  'value.format' = 'json',",
                "  'value.fields-include' = 'EXCEPT_KEY',",
                "  'scan.bounded.mode' = 'latest-offset'",
                ")"));
        Map<String, Row> table = new TreeMap<>();
        try (CloseableIterator<Row> it = t.executeSql("SELECT community_id, kind, `window`, window_start, revision, metrics FROM pulse_metrics").collect()) {
            while (it.hasNext()) {
                Row r = it.next();
                String key = "{\"community_id\":" + OM.valueToTree((String) r.getField("community_id")) + ",\"kind\":\"" + r.getField("kind")
                        + "\",\"window\":\"" + r.getField("window") + "\",\"window_start\":" + r.getField("window_start") + "}";
                switch (r.getKind()) {
                    case INSERT, UPDATE_AFTER -> table.put(key, r);
                    case UPDATE_BEFORE, DELETE -> table.remove(key);
                }
            }
        }
        return table;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readMetrics(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor("pulse.metrics").forEach(pi -> parts.add(new TopicPartition(pi.topic(), pi.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) throw new AssertionError("could not read pulse.metrics to its end: " + end);
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
