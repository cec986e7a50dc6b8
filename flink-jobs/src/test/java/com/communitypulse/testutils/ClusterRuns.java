package com.communitypulse.testutils;

import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.generator.GeneratedRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Real-cluster test runs that share one broker: each run gets its own topic prefix
 * ({@code <prefix>.pulse.messages}, ...), consumer group and transactional ids, so runs never see
 * each other's records or transactions. Outputs are returned under the unprefixed topic names so
 * that {@link Outputs} works as usual.
 */
public final class ClusterRuns {
    private ClusterRuns() {}

    public static void createTopics(KafkaBroker broker, String prefix) {
        Map<String, Integer> t = new LinkedHashMap<>();
        KafkaRuns.INPUTS.forEach(x -> t.put(prefix + "." + x, 2));
        KafkaRuns.OUTPUTS.forEach(x -> t.put(prefix + "." + x, 2));
        broker.createTopics(t, Map.of());
    }

    /** The job's {@code --key value} arguments for a run with this prefix. */
    public static List<String> jobArgs(String bootstrap, String prefix, Path checkpoints, Path savepoints, int parallelism) {
        List<String> a = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers", bootstrap,
                "--kafka.group-id", "it-" + prefix,
                "--checkpoint.dir", checkpoints.toUri().toString(),
                "--savepoint.dir", savepoints.toUri().toString(),
                "--checkpoint.interval", "2s",
                // Replayed history moves hours of event time per second: a partition that looks idle
                // for a moment would let the others' watermark run ahead. The runs stay deterministic
                // with idleness out of the way; the end of input comes from stop --drain.
                "--watermark.idleness", "1h",
                "--metrics.prometheus-port", "0",
                // The job refuses to start without a pseudonymisation key; the cluster runs on this machine and reads the file.
                "--privacy.key-file", TestKeys.file(savepoints.toAbsolutePath().getParent().resolve("keys")),
                "--parallelism", Integer.toString(parallelism)));
        for (String t : KafkaRuns.INPUTS) {
            a.addAll(List.of("--topic." + t.substring("pulse.".length()), prefix + "." + t));
        }
        for (String t : KafkaRuns.OUTPUTS) {
            a.addAll(List.of("--topic." + t.substring("pulse.".length()), prefix + "." + t));
        }
        return a;
    }

    /** Produces records (same keys, values and timestamps) to the prefixed input topics, in order. */
    public static void produce(String bootstrap, String prefix, List<GeneratedRecord> records) {
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (GeneratedRecord r : records) {
                producer.send(new ProducerRecord<>(prefix + "." + r.topic(), null, r.timestamp(), r.key(), r.value()), (md, e) -> {
                    if (e != null) failed.compareAndSet(null, e);
                    else sent.incrementAndGet();
                });
            }
            producer.flush();
        }
        // A record the producer gave up on would look like a record the job lost.
        if (failed.get() != null || sent.get() != records.size()) {
            throw new AssertionError("test input not fully produced (" + sent.get() + " of " + records.size() + ")", failed.get());
        }
    }

    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", "10");
        p.put("compression.type", "lz4");
        p.put("enable.idempotence", "true");
        p.put("max.request.size", Integer.toString(4 * 1024 * 1024));
        // On a loaded machine requests time out and are retried; with several in flight an idempotent
        // producer then saw OutOfOrderSequence errors and dropped batches. One in flight keeps order simple.
        p.put("max.in.flight.requests.per.connection", "1");
        p.put("batch.size", Integer.toString(256 * 1024));
        p.put("request.timeout.ms", "60000");
        p.put("delivery.timeout.ms", "300000");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Waits until the job's consumer group has committed the end offset of every input partition.
     * Offsets are committed when a checkpoint completes, so everything read is also in a checkpoint.
     */
    public static void awaitInputConsumed(String bootstrap, String prefix, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String t : KafkaRuns.INPUTS) {
                for (int p = 0; p < 2; p++) latest.put(new TopicPartition(prefix + "." + t, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : admin.listOffsets(latest).all().get().entrySet()) {
                end.put(e.getKey(), e.getValue().offset());
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets("it-" + prefix).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetAndMetadata> c = committed;
                if (end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (c.get(e.getKey()) != null && c.get(e.getKey()).offset() >= e.getValue()))) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new AssertionError("input of " + prefix + " not consumed within " + timeout.toSeconds() + " s: end " + end + ", committed " + committed);
        }
    }

    /** Everything committed in the prefixed output topics (read_committed), keyed by unprefixed names. */
    public static Outputs readCommitted(String bootstrap, String prefix) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "5000");
        p.put("max.partition.fetch.bytes", Integer.toString(8 * 1024 * 1024));
        Outputs out = new Outputs();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : KafkaRuns.OUTPUTS) {
                c.partitionsFor(prefix + "." + t).forEach(pi -> parts.add(new TopicPartition(pi.topic(), pi.partition())));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            // For a read_committed consumer the end is the last stable offset: a transaction left open
            // by a killed producer would hold it back, and the comparison with the recount would fail.
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) throw new AssertionError("could not read outputs to their end: " + end);
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(r.topic().substring(prefix.length() + 1), new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
