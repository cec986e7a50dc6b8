package com.communitypulse.kafka;

import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.events.LatenessTracker;
import com.communitypulse.events.ParsedRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses Kafka records of one input topic into events or dead letters (with the record's topic,
 * partition and offset) and marks events too far behind their partition as late
 * ({@link LatenessTracker}). Never throws: bad input must not fail the source.
 */
public class ParsingDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;
    private final EventType type;
    private final EventParser parser;
    private final long outOfOrdernessMs;
    private final long allowedLatenessMs;
    private transient LatenessTracker lateness;

    public ParsingDeserializer(EventType type, EventParser parser, long outOfOrdernessMs, long allowedLatenessMs) {
        this.type = type;
        this.parser = parser;
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.allowedLatenessMs = allowedLatenessMs;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<ParsedRecord> out) {
        if (lateness == null) {
            lateness = new LatenessTracker(outOfOrdernessMs, allowedLatenessMs);
        }
        out.collect(lateness.track(r.partition(), parser.parse(type, r.value(), r.topic(), r.partition(), r.offset())));
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
