package com.communitypulse.job;

import com.communitypulse.alerts.AlertJson;
import com.communitypulse.events.EventJson;
import com.communitypulse.lifecycle.LifecycleJson;
import com.communitypulse.metrics.MetricJson;
import com.communitypulse.privacy.OutputIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.connector.base.DeliveryGuarantee;
import java.util.function.Function;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Serializes each typed output stream to JSON and writes every output topic through one sink per
 * delivery guarantee: by default one exactly-once sink for metrics, lifecycle, dead letters and late
 * events and one at-least-once sink for alerts (docs/TOPICS.md). The same JSON goes to Kafka and to
 * file mode; only the {@link SinkFactory} differs.
 *
 * <p>Why one sink per guarantee, not one per topic: each Kafka sink is a task per subtask with its
 * own producer, sender thread and transaction per checkpoint; five of them made ten producers and
 * five transaction commits per subtask and checkpoint (docs/BENCHMARKS.md, tenth round). Records
 * carry their topic ({@link OutRecord#getTopic}); one transaction then commits the metrics, lifecycle,
 * dead letters and late events of a checkpoint together, so a consumer never sees one without the other.
 */
public final class PulseSinks {
    private PulseSinks() {}

    /** Creates the sinks of the output topics. */
    public interface SinkFactory {
        /** The guarantee a topic is written with; topics of one guarantee share one sink. */
        DeliveryGuarantee guarantee(OutputTopic topic);

        /** One sink for {@code topics}, all written with {@code guarantee}. */
        Sink<OutRecord> create(DeliveryGuarantee guarantee, Set<OutputTopic> topics);

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
        Map<DeliveryGuarantee, List<DataStream<OutRecord>>> parts = new EnumMap<>(DeliveryGuarantee.class);
        Map<DeliveryGuarantee, Set<OutputTopic>> topics = new EnumMap<>(DeliveryGuarantee.class);
        // Keyed by the upsert key (compactable; docs/TOPICS.md), partitioned by community.
        serialize(out.metricParts(), OutputTopic.METRICS, factory, parts, topics,
                m -> new OutRecord(m.kafkaKey(), MetricJson.toJson(m, ids), null, m.getCommunityId()));
        serialize(out.deadLetterParts(), OutputTopic.DLQ, factory, parts, topics,
                d -> new OutRecord(utf8(d.getSourceTopic()), EventJson.deadLetterJson(d), null));
        // Keyed by member so that one member's transitions stay in order within a partition.
        serialize(List.of(out.lifecycle()), OutputTopic.LIFECYCLE, factory, parts, topics,
                l -> new OutRecord(utf8(l.getCommunityId() + "/" + ids.member(l.getUserId())), LifecycleJson.toJson(l, ids), null));
        serialize(out.alertParts(), OutputTopic.ALERTS, factory, parts, topics,
                a -> new OutRecord(utf8(a.getCommunityId()), AlertJson.toJson(a, ids), null));
        serialize(out.lateParts(), OutputTopic.LATE, factory, parts, topics,
                l -> new OutRecord(utf8(l.getEvent().getEventId()), EventJson.lateJson(l.getEvent(), l.getWatermark(), ids), null));
        for (Map.Entry<DeliveryGuarantee, List<DataStream<OutRecord>>> e : parts.entrySet()) {
            DeliveryGuarantee g = e.getKey();
            DataStream<OutRecord> records = e.getValue().get(0);
            for (DataStream<OutRecord> more : e.getValue().subList(1, e.getValue().size())) {
                records = records.union(more);
            }
            List<String> names = new ArrayList<>();
            topics.get(g).forEach(t -> names.add(t.id()));
            var sink = records.sinkTo(factory.create(g, topics.get(g)))
                    .name("Sink " + String.join(", ", names) + " (" + guaranteeId(g) + ")")
                    .uid(OperatorIds.SINK_PREFIX + guaranteeId(g));
            if (factory.parallelism() > 0) {
                sink.setParallelism(factory.parallelism());
            }
        }
    }

    /** {@code exactly-once}, {@code at-least-once} or {@code none}: stable, for uids and transactional id prefixes. */
    public static String guaranteeId(DeliveryGuarantee g) {
        return g.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * One serializer per producing stream, each chained to its producer (same parallelism, forward
     * edge); a single part keeps the plain uid {@code serialize-<topic>}, further parts
     * {@code serialize-<topic>-<n>}. The serializers are stateless, so the uids carry no state.
     */
    private static <T> void serialize(List<DataStream<T>> streams, OutputTopic topic, SinkFactory factory,
                                      Map<DeliveryGuarantee, List<DataStream<OutRecord>>> parts,
                                      Map<DeliveryGuarantee, Set<OutputTopic>> topics, SerializableFn<T> toRecord) {
        DeliveryGuarantee g = factory.guarantee(topic);
        topics.computeIfAbsent(g, k -> EnumSet.noneOf(OutputTopic.class)).add(topic);
        for (int i = 0; i < streams.size(); i++) {
            DataStream<T> part = streams.get(i);
            String suffix = i == 0 ? "" : "-" + i;
            parts.computeIfAbsent(g, k -> new ArrayList<>()).add(part.map(new ToRecord<>(toRecord, topic))
                    .setParallelism(part.getParallelism())
                    .name("Serialize " + topic.id() + suffix).uid(OperatorIds.SERIALIZE_PREFIX + topic.id() + suffix));
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** A serializable function for the serializer map. */
    public interface SerializableFn<T> extends Function<T, OutRecord>, java.io.Serializable {}

    /** Named map from a typed record to its JSON {@link OutRecord} for one topic. */
    public static final class ToRecord<T> implements MapFunction<T, OutRecord> {
        private static final long serialVersionUID = 1L;
        private final SerializableFn<T> fn;
        private final OutputTopic topic;

        ToRecord(SerializableFn<T> fn, OutputTopic topic) {
            this.fn = fn;
            this.topic = topic;
        }

        @Override
        public OutRecord map(T value) {
            return fn.apply(value).to(topic);
        }
    }
}
