package com.communitypulse.testutils;

import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.generator.EventGenerator;
import com.communitypulse.generator.GeneratedRecord;
import com.communitypulse.generator.GeneratorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Test helpers around a real broker: topics, producing generated records, reading committed outputs. */
public final class KafkaRuns {
    public static final List<String> INPUTS = List.of("pulse.messages", "pulse.clicks", "pulse.orders");
    public static final List<String> OUTPUTS = List.of("pulse.metrics", "pulse.lifecycle", "pulse.alerts", "pulse.dlq", "pulse.late");

    private KafkaRuns() {}

    public static void createTopics(KafkaBroker broker) {
        Map<String, Integer> t = new LinkedHashMap<>();
        INPUTS.forEach(x -> t.put(x, 2));
        OUTPUTS.forEach(x -> t.put(x, 2));
        broker.createTopics(t, com.communitypulse.job.OutputTopic.topicConfigs(com.communitypulse.config.PulseConfig.defaults()));
    }

    /** Produces every generated record (same bytes, keys and timestamps as the JSONL files) and returns the count. */
    public static long produce(String bootstrap, GeneratorConfig cfg) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return produce(p, cfg);
    }

    /**
     * As above with full client properties (e.g. SASL_SSL). On this machine a producer has been seen
     * to leave one batch unsent until its delivery timeout while every other batch was acknowledged
     * (three CI runs, different tests and partitions). A partial input would fail the run as a
     * confusing metric difference, and re-sending only the lost batch would put it behind later
     * records (late for the job), so the input topics are emptied (records deleted up to their end)
     * and the same deterministic records are produced again, in order.
     */
    public static long produce(Properties client, GeneratorConfig cfg) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return produceOnce(client, cfg);
            } catch (IllegalStateException e) {
                if (attempt >= 3 || !(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                    throw e;
                }
                System.err.println("KafkaRuns: " + e.getCause().getMessage() + "; emptying the input topics and producing again (attempt "
                        + (attempt + 1) + " of 3)");
                emptyInputs(client);
            }
        }
    }

    /** Deletes every record of the input topics (the log start moves to the end; readers from earliest see none). */
    private static void emptyInputs(Properties client) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(client)) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            for (var d : admin.describeTopics(INPUTS).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS).values()) {
                d.partitions().forEach(pi -> latest.put(new TopicPartition(d.name(), pi.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest()));
            }
            Map<TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> delete = new HashMap<>();
            admin.listOffsets(latest).all().get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .forEach((tp, info) -> delete.put(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(info.offset())));
            admin.deleteRecords(delete).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static long produceOnce(Properties client, GeneratorConfig cfg) throws Exception {
        Properties p = new Properties();
        p.putAll(client);
        p.put("acks", "all");
        p.put("linger.ms", "10");
        p.put("compression.type", "lz4");
        p.put("enable.idempotence", "true");
        // A loaded broker can time out a batch; a lost input record would show up as a confusing
        // metric difference, so any send error fails the run here, loudly.
        p.put("delivery.timeout.ms", "120000");
        p.put("request.timeout.ms", "60000");
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        long n = 0;
        EventGenerator g = new EventGenerator(cfg);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (g.hasNext() && failed.get() == null) {
                GeneratedRecord r = g.next();
                producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value()), (md, e) -> {
                    if (e != null) failed.compareAndSet(null, e);
                });
                n++;
            }
            producer.flush();
        }
        if (failed.get() != null) throw new IllegalStateException("producing the generated input failed after " + n + " records", failed.get());
        return n;
    }

    /** Everything committed in the output topics (read_committed), up to their current end. */
    public static Outputs readCommitted(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return readCommitted(p);
    }

    /** As above with full client properties (e.g. SASL_SSL). */
    public static Outputs readCommitted(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "5000");
        Outputs out = new Outputs();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : OUTPUTS) {
                c.partitionsFor(t).forEach(pi -> parts.add(new TopicPartition(t, pi.partition())));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) throw new AssertionError("could not read outputs to their end: " + end);
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(r.topic(), new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
