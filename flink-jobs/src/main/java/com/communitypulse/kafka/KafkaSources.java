package com.communitypulse.kafka;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.events.ParsedRecord;
import com.communitypulse.job.OperatorIds;
import com.communitypulse.job.PulseSources;
import com.communitypulse.job.Watermarks;
import java.util.List;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The three Kafka input sources (read_committed, offsets committed on checkpoints), each parsing in
 * its deserializer and assigning watermarks per partition (lateness is judged by the router that
 * follows, see {@code RouteInputFunction}).
 */
public final class KafkaSources {
    private KafkaSources() {}

    public static PulseSources create(StreamExecutionEnvironment env, PulseConfig cfg) {
        EventParser parser = new EventParser(cfg.get(PulseConfig.MAX_RECORD_BYTES), cfg.get(PulseConfig.MAX_TEXT_CHARS));
        return new PulseSources(List.of(
                new PulseSources.Input("messages", source(env, cfg, parser, EventType.MESSAGE, cfg.get(PulseConfig.TOPIC_MESSAGES), OperatorIds.SOURCE_MESSAGES)),
                new PulseSources.Input("clicks", source(env, cfg, parser, EventType.CLICK, cfg.get(PulseConfig.TOPIC_CLICKS), OperatorIds.SOURCE_CLICKS)),
                new PulseSources.Input("orders", source(env, cfg, parser, EventType.ORDER, cfg.get(PulseConfig.TOPIC_ORDERS), OperatorIds.SOURCE_ORDERS))));
    }

    @SuppressWarnings("deprecation") // OffsetResetStrategy is what the 5.0 connector API takes
    private static DataStream<ParsedRecord> source(StreamExecutionEnvironment env, PulseConfig cfg, EventParser parser,
                                                   EventType type, String topic, String uid) {
        KafkaSourceBuilder<ParsedRecord> b = KafkaSource.<ParsedRecord>builder()
                .setProperties(KafkaConnections.clientProperties(cfg))
                .setTopics(topic)
                .setGroupId(cfg.get(PulseConfig.GROUP_ID))
                .setDeserializer(new ParsingDeserializer(type, parser))
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true")
                // Flink's own source metrics (pendingRecords, currentEmitEventTimeLag, ...) stay registered either way.
                .setProperty("register.consumer.metrics", Boolean.toString(cfg.get(PulseConfig.KAFKA_CLIENT_METRICS)))
                .setProperty("client.id.prefix", cfg.get(PulseConfig.GROUP_ID) + "-" + uid);
        switch (cfg.get(PulseConfig.STARTING_OFFSETS)) {
            case "earliest": b.setStartingOffsets(OffsetsInitializer.earliest()); break;
            case "latest": b.setStartingOffsets(OffsetsInitializer.latest()); break;
            default: b.setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
        }
        if (cfg.get(PulseConfig.BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(b.build(), Watermarks.strategy(cfg), "Kafka " + topic).uid(uid);
    }
}
