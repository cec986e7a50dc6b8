package com.communitypulse.bench;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.generator.EventGenerator;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseEnvironment;
import com.communitypulse.job.PulseJob;
import com.communitypulse.launcher.Ports;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Latency mode of {@code pulse bench}: the full job runs unbounded on fresh, empty topics; the
 * generator then produces at a fixed rate for a fixed time (one day of event time compressed into
 * that time), while a read_committed consumer watches {@code pulse.alerts} and {@code pulse.metrics}.
 *
 * <p>Latency of an alert = when it was read − when the input stream first reached the alert's
 * {@code event_ts} (the send time of the first record with event time ≥ event_ts, i.e. the event
 * that triggered it). Latency of a 1-minute window metric (revision 0) = when it was read − when
 * the stream first reached the window's end (the window's input is complete in Kafka). Both include
 * the watermark's out-of-orderness (10 s of event time = 10 s / speed of wall time), the job's
 * processing and, for transactional topics, the wait for the next checkpoint. The first 20% of the
 * run are warm-up (JIT, empty caches) and are not counted.
 */
final class LatencyRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchCli.Options o;
    private final PulseConfig base;
    private final String runId;
    private final Path work;
    private final String bootstrap;
    private final double rate;
    private final PrintStream out;

    LatencyRun(BenchCli.Options o, PulseConfig base, String runId, Path work, String bootstrap, double rate, PrintStream out) {
        this.o = o;
        this.base = base;
        this.runId = runId;
        this.work = work;
        this.bootstrap = bootstrap;
        this.rate = rate;
        this.out = out;
    }

    LatencyResult run() throws Exception {
        String prefix = "bench." + runId + ".lat.";
        Map<String, String> inputs = Map.of("pulse.messages", prefix + "messages", "pulse.clicks", prefix + "clicks", "pulse.orders", prefix + "orders");
        int port = Ports.free();
        PulseConfig cfg = BenchCli.outputsUnder(base, prefix)
                .with(PulseConfig.TOPIC_MESSAGES.key(), inputs.get("pulse.messages"))
                .with(PulseConfig.TOPIC_CLICKS.key(), inputs.get("pulse.clicks"))
                .with(PulseConfig.TOPIC_ORDERS.key(), inputs.get("pulse.orders"))
                .with(PulseConfig.STARTING_OFFSETS.key(), "earliest")
                .with(PulseConfig.GROUP_ID.key(), "bench-" + runId + "-latency")
                .with(PulseConfig.CHECKPOINT_DIR.key(), work.resolve("cp-latency").toUri().toString())
                .with(PulseConfig.PROMETHEUS_PORT.key(), "0")
                .with(PulseConfig.WEB_PORT.key(), Integer.toString(port));
        List<String> topics = new ArrayList<>(inputs.values());
        topics.addAll(BenchCli.outputTopics(cfg));
        BenchCli.createTopics(cfg, topics, o.partitions());

        long events = Math.max(1000, (long) (rate * o.latencySeconds()));
        GeneratorConfig data = o.data().toBuilder().days(1).eventsTarget(events).build();
        double speed = GeneratorConfig.DAY_MS / (o.latencySeconds() * 1000.0);

        Configuration conf = BenchCli.benchConfiguration(cfg, PulseEnvironment.Mode.STREAMING, work.resolve("rocksdb-latency"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        PulseJob.buildKafka(env, cfg);
        JobClient client = env.executeAsync(PulseJob.JOB_NAME + " (bench latency)");
        Reader reader = new Reader(cfg.get(PulseConfig.TOPIC_ALERTS), cfg.get(PulseConfig.TOPIC_METRICS));
        try (RestProbe probe = new RestProbe(port, client.getJobID().toString())) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!probe.allRunning()) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("latency job did not reach RUNNING within 3 minutes");
                Thread.sleep(200);
            }
            reader.start();
            double load = ProcessStats.loadAverage();
            out.printf(Locale.ROOT, "[bench] latency: producing %,d events at %.0f/s for %d s (event time x%.0f; load %.2f) ...%n",
                    events, rate, o.latencySeconds(), speed, load);
            BenchCli.SendLog sent = new BenchCli.SendLog();
            long t0 = System.nanoTime();
            long n = BenchCli.produce(bootstrap, new EventGenerator(data), inputs, rate, sent, null);
            double secs = (System.nanoTime() - t0) / 1e9;
            sent.seal();
            // Outputs of the last inputs need a checkpoint (transactions) and the watermark to pass.
            Thread.sleep(cfg.millis(PulseConfig.CHECKPOINT_INTERVAL) + 5_000);
            reader.stop();
            long warm = sent.firstWall() + (long) ((sent.lastWall() - sent.firstWall()) * 0.2);
            long[] a = new long[reader.alerts.size()];
            int na = 0;
            for (long[] x : reader.alerts) {
                long arrived = sent.wallWhenReached(x[0]);
                if (arrived >= warm) a[na++] = x[1] - arrived;
            }
            long[] m = new long[reader.windows.size()];
            int nm = 0;
            for (long[] x : reader.windows) {
                long arrived = sent.wallWhenReached(x[0]);
                if (arrived >= warm) m[nm++] = x[1] - arrived;
            }
            String delivery = OutputTopic.ALERTS.guarantee(cfg).toString().toLowerCase(Locale.ROOT).replace('_', '-');
            LatencyResult r = new LatencyResult(rate, n / secs, secs, speed, (load + ProcessStats.loadAverage()) / 2,
                    LatencyResult.Stats.of(a, na), LatencyResult.Stats.of(m, nm), delivery);
            out.printf(Locale.ROOT, "[bench] latency: alerts n=%d p50=%d ms p99=%d ms max=%d ms; 1-minute metrics n=%d p50=%d ms p99=%d ms max=%d ms%n",
                    r.alerts().n(), r.alerts().p50(), r.alerts().p99(), r.alerts().max(),
                    r.metrics().n(), r.metrics().p50(), r.metrics().p99(), r.metrics().max());
            return r;
        } finally {
            reader.stop();
            try {
                client.cancel().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the job may have failed already; the MiniCluster goes with it
            }
        }
    }

    /** read_committed consumer of the alert and metric topics, noting when each record became readable. */
    private final class Reader {
        final List<long[]> alerts = new ArrayList<>();
        final List<long[]> windows = new ArrayList<>();
        private final String alertTopic;
        private final String metricTopic;
        private volatile boolean running;
        private Thread thread;

        Reader(String alertTopic, String metricTopic) {
            this.alertTopic = alertTopic;
            this.metricTopic = metricTopic;
        }

        void start() {
            running = true;
            thread = new Thread(this::loop, "bench-latency-reader");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread != null) thread.join(10_000);
        }

        private void loop() {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("isolation.level", "read_committed");
            p.put("enable.auto.commit", "false");
            p.put("fetch.max.wait.ms", "20");
            p.put("max.poll.records", "5000");
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> parts = new ArrayList<>();
                for (String t : List.of(alertTopic, metricTopic)) {
                    c.partitionsFor(t).forEach(pi -> parts.add(new TopicPartition(t, pi.partition())));
                }
                c.assign(parts);
                c.seekToBeginning(parts);
                while (running) {
                    var records = c.poll(Duration.ofMillis(20));
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        try {
                            JsonNode n = JSON.readTree(r.value());
                            if (r.topic().equals(alertTopic)) {
                                alerts.add(new long[] {n.path("event_ts").asLong(), now});
                            } else if ("PT1M".equals(n.path("window").asText()) && n.path("revision").asInt() == 0
                                    && n.has("window_end")) {
                                windows.add(new long[] {n.path("window_end").asLong(), now});
                            }
                        } catch (java.io.IOException e) {
                            // not JSON: not ours to judge here
                        }
                    }
                }
            }
        }
    }
}
