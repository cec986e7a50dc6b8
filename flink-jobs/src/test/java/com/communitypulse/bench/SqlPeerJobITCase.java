package com.communitypulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.generator.EventGenerator;
import com.communitypulse.generator.GeneratedRecord;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.job.PulseEnvironment;
import com.communitypulse.testutils.KafkaRuns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's SQL peer computes what it claims: its committed output over a generated data set on
 * a real broker equals a recount of the same generated records (per community and minute:
 * messages, distinct active members, clicks, paid orders, GMV), and the planner applied the
 * two-phase (local-global) window aggregation the peer is tuned for.
 */
class SqlPeerJobITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OUT = "bench.sql.metrics";

    @Test
    void shouldMatchARecountOfTheGeneratedEventsWhenRunOverARealBroker(@TempDir Path tmp) throws Exception {
        // No late or malformed records: the peer has no lateness handling or dead-letter topic to compare.
        GeneratorConfig data = GeneratorConfig.builder().seed(11).communities(6).members(300).days(1).eventsTarget(6_000).noFaults().build();
        try (KafkaBroker broker = KafkaBroker.builder().start()) {
            KafkaRuns.createTopics(broker);
            broker.createTopics(Map.of(OUT, 2), Map.of());
            KafkaRuns.produce(broker.bootstrapServers(), data);
            PulseConfig cfg = PulseConfig.defaults()
                    .with(PulseConfig.BOOTSTRAP.key(), broker.bootstrapServers())
                    .with(PulseConfig.BOUNDED.key(), "true")
                    .with(PulseConfig.CHECKPOINT_INTERVAL.key(), "1s")
                    .with(PulseConfig.CHECKPOINT_DIR.key(), tmp.resolve("cp").toUri().toString());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(
                    BenchCli.benchConfiguration(cfg, PulseEnvironment.Mode.STREAMING, tmp.resolve("rocksdb")));
            List<String> plan = SqlPeerJob.build(env, cfg, OUT);
            assertThat(plan).as("aggregation operators of the optimised plan").contains("LocalWindowAggregate", "GlobalWindowAggregate");
            env.executeAsync("sql peer").getJobExecutionResult().get(5, TimeUnit.MINUTES);

            Map<String, List<Long>> got = read(broker.bootstrapServers());
            Map<String, List<Long>> want = recount(data);
            assertThat(want).as("recount").hasSizeGreaterThan(100);
            assertThat(new TreeMap<>(got)).isEqualTo(new TreeMap<>(want));
        }
    }

    @Test
    void shouldQuoteLiteralsAndFindTheAggregationOperatorsOfAPlan() {
        assertThat(SqlPeerJob.literal("it's")).isEqualTo("'it''s'");
        String explain = "== Abstract Syntax Tree ==\nLogicalSink(x)\n== Optimized Physical Plan ==\n"
                + "GlobalWindowAggregate(groupBy=[a])\n+- Exchange\n   +- LocalWindowAggregate(groupBy=[a])\n"
                + "== Optimized Execution Plan ==\nMiniBatchAssigner(x)\n";
        assertThat(SqlPeerJob.aggregations(explain)).containsExactly("LocalWindowAggregate", "GlobalWindowAggregate");
    }

    /** community|window start (epoch ms) → messages, active members, clicks, orders, GMV, from the peer's committed output. */
    private static Map<String, List<Long>> read(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        Map<String, List<Long>> out = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(OUT).forEach(pi -> parts.add(new TopicPartition(OUT, pi.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read " + OUT + " to its end " + end).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    JsonNode n = JSON.readTree(r.value());
                    String key = n.path("community_id").asText() + "|" + epochMillis(n.path("window_start").asText());
                    List<Long> v = List.of(n.path("messages").asLong(), n.path("active_members").asLong(), n.path("clicks").asLong(),
                            n.path("orders").asLong(), n.path("gmv_minor").asLong());
                    assertThat(out.put(key, v)).as("one row per community and window: " + key).isNull();
                }
            }
        }
        return out;
    }

    /** Flink's JSON format writes TIMESTAMP_LTZ as "yyyy-MM-dd HH:mm:ss.SSSZ" in UTC. */
    private static long epochMillis(String ts) {
        return LocalDateTime.parse(ts.replace(' ', 'T').replace("Z", "")).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** The same metrics straight from the generated records, with plain collections. */
    private static Map<String, List<Long>> recount(GeneratorConfig data) throws Exception {
        Map<String, long[]> sums = new HashMap<>();
        Map<String, Set<String>> active = new HashMap<>();
        EventGenerator g = new EventGenerator(data);
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            JsonNode e = JSON.readTree(r.value());
            String community = e.path("community_id").isTextual() ? e.path("community_id").asText() : null;
            if (community == null) continue;
            String key = community + "|" + Math.floorDiv(e.path("ts").asLong(), 60_000L) * 60_000L;
            String user = e.path("user_id").asText();
            // A window has a row once any event of the peer's view falls in it (join/leave messages
            // included, with zero counts); refunds are not in the view.
            switch (r.topic()) {
                case "pulse.messages" -> {
                    long[] s = sums.computeIfAbsent(key, k -> new long[4]);
                    String kind = e.path("kind").asText();
                    if (kind.equals("join") || kind.equals("leave")) continue;
                    s[0]++;
                    active.computeIfAbsent(key, k -> new HashSet<>()).add(user);
                }
                case "pulse.clicks" -> {
                    sums.computeIfAbsent(key, k -> new long[4])[1]++;
                    active.computeIfAbsent(key, k -> new HashSet<>()).add(user);
                }
                default -> {
                    if (!e.path("status").asText().equals("paid")) continue;
                    long[] s = sums.computeIfAbsent(key, k -> new long[4]);
                    s[2]++;
                    s[3] += e.path("amount_minor").asLong();
                }
            }
        }
        Map<String, List<Long>> out = new HashMap<>();
        sums.forEach((k, s) -> out.put(k, List.of(s[0], (long) active.getOrDefault(k, Set.of()).size(), s[1], s[2], s[3])));
        return out;
    }
}
