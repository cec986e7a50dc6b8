package com.communitypulse.kafka;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.job.OutRecord;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseSinks;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka sinks per output topic with the topic's delivery guarantee. Exactly-once sinks write in
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
    public Sink<OutRecord> create(OutputTopic topic) {
        String name = topic.topic(cfg);
        return KafkaSink.<OutRecord>builder()
                .setKafkaProducerConfig(KafkaConnections.clientProperties(cfg))
                .setRecordSerializer(new Serializer(name))
                .setDeliveryGuarantee(topic.guarantee(cfg))
                .setTransactionalIdPrefix(cfg.get(PulseConfig.GROUP_ID) + "-" + topic.id())
                .setProperty("transaction.timeout.ms", Long.toString(cfg.millis(PulseConfig.TX_TIMEOUT)))
                .setProperty("compression.type", "lz4")
                .setProperty("linger.ms", "20")
                .build();
    }

    /** Writes an {@link OutRecord} to a fixed topic. */
    static final class Serializer implements KafkaRecordSerializationSchema<OutRecord> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(OutRecord r, KafkaSinkContext ctx, Long timestamp) {
            return new ProducerRecord<>(topic, null, r.getTimestamp(), r.getKey(), r.getValue());
        }
    }
}
