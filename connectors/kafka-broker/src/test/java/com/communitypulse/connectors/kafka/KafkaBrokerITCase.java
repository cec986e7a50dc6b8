package com.communitypulse.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerITCase {

    @Test
    void shouldServeRecordsAndStopCleanlyWhenStartedFromMavenJars() throws Exception {
        KafkaBroker broker = KafkaBroker.builder().start();
        long pid = broker.pid();
        var dir = broker.dataDir();
        try (broker) {
            broker.createTopics(List.of("t1"), 2);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                var res = new ConfigResource(ConfigResource.Type.TOPIC, "t1");
                ConfigEntry retention = admin.describeConfigs(Set.of(res)).all().get(30, TimeUnit.SECONDS).get(res).get("retention.ms");
                assertThat(retention.value()).isEqualTo("-1");
                var bres = new ConfigResource(ConfigResource.Type.BROKER, "1");
                assertThat(admin.describeConfigs(Set.of(bres)).all().get(30, TimeUnit.SECONDS).get(bres)
                        .get("transaction.max.timeout.ms").value())
                        .isEqualTo(Long.toString(KafkaBroker.TRANSACTION_MAX_TIMEOUT.toMillis()));
            }
            Properties pp = new Properties();
            pp.put("bootstrap.servers", broker.bootstrapServers());
            try (var producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("t1", "k" + i, "v" + i)).get();
                }
            }
            Properties cp = new Properties();
            cp.put("bootstrap.servers", broker.bootstrapServers());
            cp.put("group.id", "g");
            cp.put("auto.offset.reset", "earliest");
            int seen = 0;
            try (var consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("t1"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen < 10 && System.nanoTime() < deadline) {
                    ConsumerRecords<String, String> recs = consumer.poll(Duration.ofMillis(500));
                    seen += recs.count();
                }
            }
            assertThat(seen).isEqualTo(10);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.exists(dir)).isFalse();
    }
}
