package com.communitypulse.kafka;

import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.events.ParsedRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses Kafka records of one input topic into events or dead letters, each with the record's
 * topic and partition (dead letters also with the offset). Never throws: bad input must not fail
 * the source. Lateness is judged after the source, in {@code RouteInputFunction}, where it can be
 * checkpointed.
 */
public class ParsingDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;
    private final EventType type;
    private final EventParser parser;

    public ParsingDeserializer(EventType type, EventParser parser) {
        this.type = type;
        this.parser = parser;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<ParsedRecord> out) {
        out.collect(parser.parse(type, r.value(), r.topic(), r.partition(), r.offset()));
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
