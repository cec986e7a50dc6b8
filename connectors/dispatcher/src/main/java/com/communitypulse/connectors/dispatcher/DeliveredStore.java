package com.communitypulse.connectors.dispatcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The de-duplication memory: which (alert, channel) pairs were delivered. Kept in memory as an LRU of
 * at most {@code maxEntries} keys and persisted to a compacted Kafka topic keyed by
 * {@code <alert_id>@<channel>}, which is read back on start-up so that a restart does not resend
 * what was delivered before. Older keys age out of memory; a replay older than that window is
 * delivered again (receivers can still de-duplicate on {@code webhook-id}).
 */
final class DeliveredStore {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredStore.class);

    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final Map<String, Boolean> recent;

    DeliveredStore(String topic, int maxEntries, Producer<byte[], byte[]> producer) {
        this.topic = topic;
        this.producer = producer;
        this.recent = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > maxEntries;
            }
        };
    }

    static String key(String alertId, String channel) {
        return alertId + "@" + channel;
    }

    /** Reads the whole topic once; returns the number of keys loaded. */
    int load(Properties clientProps, Duration timeout) {
        Properties p = new Properties();
        p.putAll(clientProps);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        int n = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo pi : c.partitionsFor(topic, timeout)) {
                tps.add(new TopicPartition(topic, pi.partition()));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " took longer than " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.value() != null) {
                        synchronized (this) {
                            recent.put(new String(r.key(), StandardCharsets.UTF_8), Boolean.TRUE);
                        }
                        n++;
                    }
                }
            }
        }
        LOG.info("Loaded {} delivered keys from {} ({} kept)", n, topic, size());
        return n;
    }

    synchronized boolean contains(String key) {
        return recent.get(key) != null;
    }

    synchronized int size() {
        return recent.size();
    }

    /**
     * Remembers the key and appends it to the topic. The caller waits for the returned future before
     * sending the channel's next message, so that a crash can resend at most the messages in flight.
     */
    Future<RecordMetadata> markDelivered(String key, String alertId, String channel, long deliveredAt) {
        synchronized (this) {
            recent.put(key, Boolean.TRUE);
        }
        String value = "{\"alert_id\":\"" + jsonEscape(alertId) + "\",\"channel\":\"" + jsonEscape(channel) + "\",\"delivered_at\":" + deliveredAt + "}";
        return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)),
                (md, e) -> {
                    if (e != null) {
                        // Only de-duplication after a restart is at stake, never delivery itself.
                        LOG.warn("Could not record delivery of {} to {}: {}", alertId, channel, e.toString());
                    }
                });
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
