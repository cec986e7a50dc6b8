package com.communitypulse.kafka;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.job.OutRecord;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseSinks;
import java.util.EnumMap;
import java.util.Set;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka sinks, one per delivery guarantee, each writing the topics of that guarantee (each record
 * names its topic, {@link OutRecord#getTopic}). Exactly-once sinks write in
 * transactions committed on checkpoints; their {@code transaction.timeout.ms} is set from
 * {@code kafka.transaction-timeout} (the connector's default of 1 h exceeds the broker's default
 * maximum of 15 min and would make the job restart in a loop).
 */
public final class KafkaSinks implements PulseSinks.SinkFactory {
    private final PulseConfig cfg;

    public KafkaSinks(PulseConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public DeliveryGuarantee guarantee(OutputTopic topic) {
        return topic.guarantee(cfg);
    }

    @Override
    public Sink<OutRecord> create(DeliveryGuarantee guarantee, Set<OutputTopic> topics) {
        EnumMap<OutputTopic, String> names = new EnumMap<>(OutputTopic.class);
        topics.forEach(t -> names.put(t, t.topic(cfg)));
        return KafkaSink.<OutRecord>builder()
                .setKafkaProducerConfig(KafkaConnections.clientProperties(cfg))
                .setRecordSerializer(new Serializer(names))
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(cfg.get(PulseConfig.GROUP_ID) + "-" + PulseSinks.guaranteeId(guarantee))
                .setProperty("transaction.timeout.ms", Long.toString(cfg.millis(PulseConfig.TX_TIMEOUT)))
                .setProperty("compression.type", "lz4")
                .setProperty("linger.ms", "20")
                // false also stops the writer's 500 ms timer that copies the client's metrics into Flink's.
                .setProperty("register.producer.metrics", Boolean.toString(cfg.get(PulseConfig.KAFKA_CLIENT_METRICS)))
                .build();
    }

    /**
     * Writes an {@link OutRecord} to the topic it names (or to one fixed topic). {@code pulse.metrics} is keyed by its upsert key
     * (a JSON object, see {@link com.communitypulse.metrics.MetricRecord#kafkaKey}) but partitioned
     * by {@code community_id} alone, exactly where Kafka's default partitioner put the records when the
     * key was the community id: one community's metrics stay in one partition, in order, and a
     * consumer reading per community sees no change of partition across the key change.
     */
    public static final class Serializer implements KafkaRecordSerializationSchema<OutRecord> {
        private static final long serialVersionUID = 1L;
        private static final com.fasterxml.jackson.databind.ObjectMapper KEYS = new com.fasterxml.jackson.databind.ObjectMapper();
        /** Topic names by output; null for a serializer of one fixed topic. */
        private final EnumMap<OutputTopic, String> topics;
        private final String topic;
        private final boolean partitionByCommunity;

        /** One fixed topic, partitioned by community ({@code pulse.metrics}) or by Kafka's default partitioner. */
        public Serializer(String topic, boolean partitionByCommunity) {
            this.topics = null;
            this.topic = topic;
            this.partitionByCommunity = partitionByCommunity;
        }

        /** The topic each record names; {@code pulse.metrics} partitioned by community. */
        public Serializer(EnumMap<OutputTopic, String> topics) {
            this.topics = new EnumMap<>(topics);
            this.topic = null;
            this.partitionByCommunity = false;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(OutRecord r, KafkaSinkContext ctx, Long timestamp) {
            String topic = this.topic;
            boolean partitionByCommunity = this.partitionByCommunity;
            if (topics != null) {
                topic = topics.get(r.getTopic());
                if (topic == null) {
                    throw new IllegalStateException("this sink does not write output " + r.getTopic() + " (it writes " + topics.keySet() + ")");
                }
                partitionByCommunity = r.getTopic() == OutputTopic.METRICS;
            }
            Integer partition = partitionByCommunity
                    ? partitionOf(r.getPartitionKey() != null ? r.getPartitionKey() : communityOf(r.getKey()), ctx.getPartitionsForTopic(topic))
                    : null;
            return new ProducerRecord<>(topic, partition, r.getTimestamp(), r.getKey(), r.getValue());
        }

        /** The community of a metric key: only for records written without a partition key. */
        static String communityOf(byte[] metricKey) {
            try {
                return KEYS.readTree(metricKey).path("community_id").asText();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("pulse.metrics key is not the JSON upsert key: " + new String(metricKey, java.nio.charset.StandardCharsets.UTF_8), e);
            }
        }

        /** The partition Kafka's default partitioner picks for the key {@code community} (murmur2 of its UTF-8 bytes). */
        static int partitionOf(String community, int[] partitions) {
            int[] sorted = partitions.clone();
            java.util.Arrays.sort(sorted);
            byte[] k = community.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return sorted[org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(k)) % sorted.length];
        }
    }
}
