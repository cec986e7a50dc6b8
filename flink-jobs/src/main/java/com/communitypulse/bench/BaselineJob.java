package com.communitypulse.bench;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.events.ParsedRecord;
import com.communitypulse.job.OutRecord;
import com.communitypulse.job.PulseSources;
import com.communitypulse.kafka.KafkaConnections;
import com.communitypulse.kafka.KafkaSources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import com.communitypulse.kafka.KafkaSinks;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The simplest Flink job over the same input topics, the yardstick of {@code pulse bench}: the same
 * Kafka sources (parsing deserializer, per-partition watermarks) → keyBy community → 1-minute
 * tumbling event-time count in RocksDB → exactly-once Kafka sink. Same environment (RocksDB,
 * incremental checkpoints, parallelism) as the full job; only the topology differs.
 */
final class BaselineJob {
    static final String OUTPUT_TOPIC = "bench.baseline.counts";

    private BaselineJob() {}

    static void build(StreamExecutionEnvironment env, PulseConfig cfg, String outputTopic) {
        PulseSources sources = KafkaSources.create(env, cfg);
        DataStream<ParsedRecord> all = null;
        for (PulseSources.Input in : sources.inputs()) {
            all = all == null ? in.stream() : all.union(in.stream());
        }
        DataStream<OutRecord> counts = all
                .filter(new IsEvent()).name("Baseline: events only").uid("baseline-filter")
                .keyBy(new CommunityKey(), Types.STRING)
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .aggregate(new Count(), new ToRecord()).name("Baseline: 1-minute count").uid("baseline-window");
        counts.sinkTo(KafkaSink.<OutRecord>builder()
                        .setKafkaProducerConfig(KafkaConnections.clientProperties(cfg))
                        .setRecordSerializer(new KafkaSinks.Serializer(outputTopic, false))
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(cfg.get(PulseConfig.GROUP_ID) + "-baseline")
                        .setProperty("transaction.timeout.ms", Long.toString(cfg.millis(PulseConfig.TX_TIMEOUT)))
                        .setProperty("compression.type", "lz4")
                        .setProperty("linger.ms", "20")
                        .build())
                .name("Baseline: sink").uid("baseline-sink");
    }

    static final class IsEvent implements FilterFunction<ParsedRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(ParsedRecord r) {
            return r.isEvent();
        }
    }

    static final class CommunityKey implements KeySelector<ParsedRecord, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ParsedRecord r) {
            String c = r.getEvent().getCommunityId();
            return c == null ? "" : c;
        }
    }

    static final class Count implements AggregateFunction<ParsedRecord, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override public Long createAccumulator() { return 0L; }
        @Override public Long add(ParsedRecord r, Long acc) { return acc + 1; }
        @Override public Long getResult(Long acc) { return acc; }
        @Override public Long merge(Long a, Long b) { return a + b; }
    }

    static final class ToRecord extends ProcessWindowFunction<Long, OutRecord, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String key, Context ctx, Iterable<Long> counts, Collector<OutRecord> out) {
            long n = counts.iterator().next();
            String json = "{\"community_id\":\"" + key + "\",\"window_start\":" + ctx.window().getStart() + ",\"count\":" + n + "}";
            out.collect(new OutRecord(key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8), ctx.window().maxTimestamp()));
        }
    }
}
