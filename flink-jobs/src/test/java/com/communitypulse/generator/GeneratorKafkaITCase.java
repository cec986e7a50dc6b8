package com.communitypulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.connectors.kafka.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's Kafka path against a real broker: every record arrives with its key and event-time timestamp. */
class GeneratorKafkaITCase {
    private static final List<String> TOPICS = List.of("pulse.messages", "pulse.clicks", "pulse.orders");

    @Test
    void shouldDeliverEveryRecordWithKeyAndTimestampWhenProducingToKafka(@TempDir Path dir) {
        try (KafkaBroker broker = KafkaBroker.builder().start()) {
            broker.createTopics(TOPICS, 2);
            Path truthFile = dir.resolve("truth.json");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = GeneratorCli.run(new String[] {"--bootstrap", broker.bootstrapServers(), "--truth", truthFile.toString(),
                    "--communities", "5", "--members", "300", "--days", "1", "--events", "5000"},
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            GroundTruth truth = GroundTruth.readJson(truthFile);

            Map<String, Long> counts = new HashMap<>();
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "generator-itcase");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(TOPICS);
                long expected = truth.total(GroundTruth.TopicCounts::produced);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                long seen = 0;
                while (seen < expected && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        seen++;
                        counts.merge(r.topic(), 1L, Long::sum);
                        assertThat(r.key()).isNotEmpty();
                        assertThat(r.timestamp()).isBetween(truth.startTs() - truth.lateByMs(), truth.endTs());
                    }
                }
            }
            for (String t : TOPICS) assertThat(counts.get(t)).as(t).isEqualTo(truth.topic(t).produced());
        }
    }
}
