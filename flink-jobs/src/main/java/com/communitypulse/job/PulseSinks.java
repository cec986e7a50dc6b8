package com.communitypulse.job;

import com.communitypulse.alerts.AlertJson;
import com.communitypulse.events.EventJson;
import com.communitypulse.lifecycle.LifecycleJson;
import com.communitypulse.metrics.MetricJson;
import com.communitypulse.privacy.OutputIds;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Serializes each typed output stream to JSON and attaches the sink of its topic. The same JSON
 * goes to Kafka and to file mode; only the {@link SinkFactory} differs.
 */
public final class PulseSinks {
    private PulseSinks() {}

    /** Creates the sink of one output topic. */
    public interface SinkFactory {
        Sink<OutRecord> create(OutputTopic topic);

        /** Sink parallelism, or -1 for the job default. */
        default int parallelism() {
            return -1;
        }
    }

    /**
     * Attaches every output. This is where sealed in-job member ids become output ids
     * ({@link PulseOutputs#ids}): pseudonyms everywhere, original ids in alerts when configured.
     */
    public static void attach(PulseOutputs out, SinkFactory factory) {
        OutputIds ids = out.ids;
        // Keyed by the upsert key (compactable; docs/TOPICS.md), partitioned by community.
        sink(out.metricParts(), OutputTopic.METRICS, factory,
                m -> new OutRecord(m.kafkaKey(), MetricJson.toJson(m, ids), null, m.getCommunityId()));
        sink(out.deadLetterParts(), OutputTopic.DLQ, factory, d -> new OutRecord(utf8(d.getSourceTopic()), EventJson.deadLetterJson(d), null));
        // Keyed by member so that one member's transitions stay in order within a partition.
        sink(List.of(out.lifecycle()), OutputTopic.LIFECYCLE, factory, l -> new OutRecord(utf8(l.getCommunityId() + "/" + ids.member(l.getUserId())),
                LifecycleJson.toJson(l, ids), null));
        sink(out.alertParts(), OutputTopic.ALERTS, factory, a -> new OutRecord(utf8(a.getCommunityId()), AlertJson.toJson(a, ids), null));
        sink(out.lateParts(), OutputTopic.LATE, factory, l -> new OutRecord(utf8(l.getEvent().getEventId()),
                EventJson.lateJson(l.getEvent(), l.getWatermark(), ids), null));
    }

    /**
     * One serializer per producing stream, each chained to its producer (same parallelism, forward
     * edge); a single part keeps the plain uid {@code serialize-<topic>}, further parts
     * {@code serialize-<topic>-<n>}. The serializers are stateless, so the uids carry no state.
     */
    private static <T> void sink(List<DataStream<T>> parts, OutputTopic topic, SinkFactory factory, SerializableFn<T> toRecord) {
        DataStream<OutRecord> records = null;
        for (int i = 0; i < parts.size(); i++) {
            DataStream<T> part = parts.get(i);
            String suffix = i == 0 ? "" : "-" + i;
            SingleOutputStreamOperator<OutRecord> serialized = part.map(new ToRecord<>(toRecord))
                    .setParallelism(part.getParallelism())
                    .name("Serialize " + topic.id() + suffix).uid(OperatorIds.SERIALIZE_PREFIX + topic.id() + suffix);
            records = records == null ? serialized : records.union(serialized);
        }
        var sink = records.sinkTo(factory.create(topic)).name("Sink " + topic.id()).uid(OperatorIds.SINK_PREFIX + topic.id());
        if (factory.parallelism() > 0) {
            sink.setParallelism(factory.parallelism());
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** A serializable function for the serializer map. */
    public interface SerializableFn<T> extends Function<T, OutRecord>, java.io.Serializable {}

    /** Named map from a typed record to its JSON {@link OutRecord}. */
    public static final class ToRecord<T> implements MapFunction<T, OutRecord> {
        private static final long serialVersionUID = 1L;
        private final SerializableFn<T> fn;

        ToRecord(SerializableFn<T> fn) {
            this.fn = fn;
        }

        @Override
        public OutRecord map(T value) {
            return fn.apply(value);
        }
    }
}
