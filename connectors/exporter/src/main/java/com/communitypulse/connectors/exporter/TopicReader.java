package com.communitypulse.connectors.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the metric and alert topics with {@code read_committed} (only what the job's
 * exactly-once sinks committed) into a {@link PulseBoard}.
 *
 * <p>Partitions are assigned, not subscribed through a consumer group: every exporter replica
 * needs every record, and the board is rebuilt from the topics at start ({@code --from earliest}),
 * so there are no offsets to commit. Topics that do not exist yet (the exporter may start before
 * the job) and partitions added later are picked up by a periodic metadata refresh.
 */
final class TopicReader implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
    private static final Duration REFRESH = Duration.ofSeconds(10);

    private final ExporterConfig cfg;
    private final PulseBoard board;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ObjectMapper json = new ObjectMapper();
    private final String metricsTopic;
    private final String alertsTopic;
    private final Thread thread;
    private volatile boolean running = true;

    TopicReader(ExporterConfig cfg, PulseBoard board) {
        this.cfg = cfg;
        this.board = board;
        this.metricsTopic = cfg.get(ExporterConfig.TOPIC_METRICS);
        this.alertsTopic = cfg.get(ExporterConfig.TOPIC_ALERTS);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.get(ExporterConfig.BOOTSTRAP));
        cfg.security().applyTo(p);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "pulse-exporter");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, cfg.get(ExporterConfig.FROM));
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this, "pulse-exporter-reader");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextRefresh = 0;
        try {
            while (running) {
                if (System.nanoTime() >= nextRefresh) {
                    assigned = refresh(assigned);
                    nextRefresh = System.nanoTime() + REFRESH.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(500);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            String explained = cfg.security().explain(e, cfg.get(ExporterConfig.BOOTSTRAP));
            if (explained != null) {
                // A settings problem, not a bug: one line naming the fix, no stack trace.
                LOG.error("exporter reader stopped: {}", explained);
            } else {
                LOG.error("exporter reader stopped", e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private Set<TopicPartition> refresh(Set<TopicPartition> assigned) {
        Set<TopicPartition> now = new HashSet<>();
        for (String topic : List.of(metricsTopic, alertsTopic)) {
            try {
                List<PartitionInfo> ps = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (ps != null) {
                    for (PartitionInfo p : ps) now.add(new TopicPartition(topic, p.partition()));
                }
            } catch (RuntimeException e) {
                LOG.debug("no metadata for {} yet: {}", topic, e.toString());
            }
        }
        if (now.isEmpty() || now.equals(assigned)) {
            return now.isEmpty() ? assigned : now;
        }
        // Positions of partitions that stay assigned are kept by assign(); new ones start per auto.offset.reset.
        LOG.info("reading {}", now);
        consumer.assign(new ArrayList<>(now));
        return now;
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        JsonNode node;
        try {
            node = json.readTree(r.value());
        } catch (Exception e) {
            node = null;
        }
        if (r.topic().equals(metricsTopic)) {
            board.acceptMetric(node);
        } else {
            board.acceptAlert(node);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
