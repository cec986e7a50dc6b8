package com.communitypulse.cli;

import com.communitypulse.flags.UsageException;
import com.communitypulse.flags.Option;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.connectors.dispatcher.AlertDispatcher;
import com.communitypulse.connectors.dispatcher.WebhookInbox;
import com.communitypulse.connectors.dispatcher.config.ConfigLoader;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import com.communitypulse.connectors.exporter.Exporter;
import com.communitypulse.connectors.exporter.ExporterConfig;
import com.communitypulse.connectors.exporter.PrometheusLauncher;
import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.generator.EventGenerator;
import com.communitypulse.generator.GeneratedRecord;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseJob;
import com.communitypulse.launcher.Dirs;
import com.communitypulse.launcher.Ports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code pulse demo}: the whole pipeline on this machine. Starts a real Kafka 4.1 broker (child
 * JVM), creates the topics, runs the job on a local MiniCluster (RocksDB, checkpoints, web UI,
 * Prometheus reporter), feeds it from the generator at a realistic rate with compressed event
 * time, and prints a live summary every few seconds. Stops after {@code --duration} or on Ctrl-C,
 * leaving no processes behind.
 */
final class Demo {
    private static final List<String> FLAGS = List.of("duration", "rate", "communities", "members", "days", "events", "seed", "summary-every");

    private Demo() {}

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (PulseCli.wantsHelp(args)) {
            out.println(String.join("\n",
                    "Usage: pulse demo [--duration 3m] [--rate 2000] [--communities 200] [--members 20000] [--days 7]",
                    "                  [--events 1000000] [--seed 42] [--summary-every 5s] [job options]",
                    "",
                    "Starts a Kafka broker, the job (local MiniCluster, web UI on http://127.0.0.1:8081, Prometheus",
                    "reporter on :9249) and the generator (--rate records/s, event time compressed so that --days of",
                    "history arrive over the run), then prints a summary every few seconds. Without --duration it",
                    "runs until the generator is done or Ctrl-C. Job options: see 'pulse config'."));
            return 0;
        }
        Map<String, String> flags = new HashMap<>();
        PulseConfig cfg = PulseConfig.fromArgs(List.of(args), System.getenv(), FLAGS, flags);
        Duration duration = flags.containsKey("duration") ? Option.parseDuration("--duration", flags.get("duration")) : null;
        Duration every = Option.parseDuration("--summary-every", flags.getOrDefault("summary-every", "5s"));
        double rate = positive("rate", flags.getOrDefault("rate", "2000"));
        int days = (int) positive("days", flags.getOrDefault("days", "7"));
        GeneratorConfig gen = GeneratorConfig.builder()
                .seed((long) positive("seed", flags.getOrDefault("seed", "42")))
                .communities((int) positive("communities", flags.getOrDefault("communities", "200")))
                .members((int) positive("members", flags.getOrDefault("members", "20000")))
                .days(days)
                .eventsTarget((long) positive("events", flags.getOrDefault("events", "1000000")))
                // History that ends now: the last generated day is today.
                .startTs((System.currentTimeMillis() / 86_400_000L - days + 1) * 86_400_000L - 8 * 3_600_000L)
                .build();

        Path work = Files.createTempDirectory("pulse-demo-");
        out.println("community-pulse demo — working directory " + work);
        // A demo must start with no setup; production refuses this (pseudonyms must survive restarts).
        PulseConfig keyed = com.communitypulse.privacy.PrivacyKeys.withEphemeralKeyIfMissing(cfg, System.getenv(), work);
        if (keyed != null) {
            cfg = keyed;
            out.println("no privacy key configured (--privacy.key-file / " + com.communitypulse.privacy.PrivacyKeys.ENV
                    + "): member ids are pseudonymised with an ephemeral key for this run only");
        }
        out.println("starting Kafka broker ...");
        long t0 = System.nanoTime();
        KafkaBroker broker = KafkaBroker.builder().dataDir(work.resolve("kafka")).start();
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        List<AutoCloseable> resources = new ArrayList<>();
        resources.add(broker);
        Thread hook = new Thread(() -> {
            stopping.set(true);
            closeAll(resources, out);
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Map<String, Integer> topics = new LinkedHashMap<>();
            for (var o : List.of(PulseConfig.TOPIC_MESSAGES, PulseConfig.TOPIC_CLICKS, PulseConfig.TOPIC_ORDERS)) {
                topics.put(cfg.get(o), 2);
            }
            for (OutputTopic t : OutputTopic.values()) {
                topics.put(t.topic(cfg), 2);
            }
            broker.createTopics(topics, OutputTopic.topicConfigs(cfg));
            out.printf("broker ready on %s in %.1f s; topics: %s%n", broker.bootstrapServers(), (System.nanoTime() - t0) / 1e9, topics.keySet());

            PulseConfig withBroker = cfg.with(PulseConfig.BOOTSTRAP.key(), broker.bootstrapServers());
            if (!cfg.overrides().containsKey(PulseConfig.CHECKPOINT_DIR.key())) {
                withBroker = withBroker.with(PulseConfig.CHECKPOINT_DIR.key(), work.resolve("checkpoints").toUri().toString());
            }
            if (!cfg.overrides().containsKey(PulseConfig.CHECKPOINT_INTERVAL.key())) {
                withBroker = withBroker.with(PulseConfig.CHECKPOINT_INTERVAL.key(), "5s");
            }
            PulseConfig jobCfg = withBroker;
            JobClient job = PulseJob.startLocalKafka(jobCfg, true);
            resources.add(0, () -> job.cancel().get(30, TimeUnit.SECONDS));
            out.printf("job %s submitted; Flink web UI http://%s:%d ; Prometheus reporter http://%s:%d/metrics ; ready in %.1f s%n",
                    job.getJobID(), jobCfg.get(PulseConfig.BIND_HOST), jobCfg.get(PulseConfig.WEB_PORT),
                    jobCfg.get(PulseConfig.BIND_HOST), jobCfg.get(PulseConfig.PROMETHEUS_PORT), (System.nanoTime() - t0) / 1e9);

            Exporter exporter = Exporter.start(ExporterConfig.parse(
                    List.of("--kafka.bootstrap-servers", broker.bootstrapServers(), "--port", "0"), Map.of()));
            resources.add(0, exporter);
            out.println("exporter (engagement metrics for Prometheus/Grafana): " + exporter.url());
            WebhookInbox inbox = WebhookInbox.start(WebhookInbox.newSecret(), 0);
            resources.add(0, inbox);
            AlertDispatcher dispatcher = startDispatcher(work, broker.bootstrapServers(), inbox, resources, out);
            startPrometheus(work, jobCfg, exporter, dispatcher, resources, out);

            LiveSummary summary = new LiveSummary(jobCfg, inbox, out);
            resources.add(0, summary);
            Thread producer = new Thread(() -> produce(gen, jobCfg, rate, summary, stopping, out), "demo-generator");
            producer.setDaemon(true);
            producer.start();
            Thread reporter = new Thread(() -> summary.loop(every, stopping), "demo-summary");
            reporter.setDaemon(true);
            reporter.start();

            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            while (!stopping.get() && System.nanoTime() < deadline && !job.getJobStatus().get().isGloballyTerminalState()) {
                if (!producer.isAlive() && summary.quietFor(Duration.ofSeconds(20))) {
                    out.println("generator finished and outputs are quiet");
                    break;
                }
                done.await(500, TimeUnit.MILLISECONDS);
            }
            summary.printNow();
            out.println("stopping ...");
            return 0;
        } finally {
            stopping.set(true);
            closeAll(resources, out);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
            Dirs.deleteQuietly(work);
            out.println("demo stopped; no processes left behind");
        }
    }

    /** A local Prometheus with the project's rules when the binary is installed (Debian package {@code prometheus}). */
    /**
     * The alert dispatcher delivering {@code pulse.alerts} to a local moderator inbox (a real HTTP
     * server verifying each Standard Webhooks signature), so the demo shows the whole path from a
     * message to a moderator; the live summary reports what the inbox received.
     */
    private static AlertDispatcher startDispatcher(Path work, String bootstrap, WebhookInbox inbox, List<AutoCloseable> resources, PrintStream out) throws IOException {
        DispatcherConfig dcfg = ConfigLoader.load(inbox.writeDispatcherConfig(work.resolve("dispatcher"), bootstrap, "pulse-demo-dispatcher"));
        AlertDispatcher dispatcher = new AlertDispatcher(dcfg, new SecretResolver(System::getenv, Path.of(dcfg.secretsFile)), new PrometheusRegistry()).start();
        resources.add(0, dispatcher);
        out.printf("alert dispatcher: pulse.alerts -> signed webhooks -> moderator inbox %s (metrics http://127.0.0.1:%d/metrics)%n",
                inbox.url(), dispatcher.metricsPort());
        return dispatcher;
    }

    private static void startPrometheus(Path work, PulseConfig cfg, Exporter exporter, AlertDispatcher dispatcher, List<AutoCloseable> resources, PrintStream out) {
        if (PrometheusLauncher.binary().isEmpty()) {
            out.println("prometheus not installed (apt-get install prometheus): skipping the local Prometheus");
            return;
        }
        try {
            Path rules = Path.of("dashboards", "prometheus", "rules.yml").toAbsolutePath();
            String alertmanager = startAlertmanager(resources, out);
            Path config = PrometheusLauncher.writeLocalConfig(work.resolve("prometheus.yml"), Files.exists(rules) ? rules : null,
                    Map.of("flink", cfg.get(PulseConfig.BIND_HOST) + ":" + cfg.get(PulseConfig.PROMETHEUS_PORT),
                            "pulse-exporter", "127.0.0.1:" + exporter.port(),
                            "pulse-dispatcher", "127.0.0.1:" + dispatcher.metricsPort()), alertmanager);
            PrometheusLauncher prom = PrometheusLauncher.start(config, Ports.free());
            resources.add(0, prom);
            out.println("prometheus (scraping Flink, the exporter and the dispatcher, with the alert rules): " + prom.url());
        } catch (Exception e) {
            out.println("prometheus could not start: " + PulseCli.rootMessage(e));
        }
    }

    /**
     * The operations alerts' Alertmanager with the compose stack's routing, when the binary is installed
     * (Debian package {@code prometheus-alertmanager}); returns its {@code host:port} for Prometheus, or null.
     */
    private static String startAlertmanager(List<AutoCloseable> resources, PrintStream out) {
        Path config = Path.of("dashboards", "prometheus", "alertmanager.yml").toAbsolutePath();
        if (com.communitypulse.connectors.exporter.AlertmanagerLauncher.binary().isEmpty() || !Files.exists(config)) {
            out.println("prometheus-alertmanager not installed (apt-get install prometheus-alertmanager): the rules fire into no Alertmanager");
            return null;
        }
        try {
            var am = com.communitypulse.connectors.exporter.AlertmanagerLauncher.start(config, 0);
            resources.add(0, am);
            out.println("alertmanager (routes the operations alerts, docs/RUNBOOK.md): " + am.url());
            return am.target();
        } catch (Exception e) {
            out.println("alertmanager could not start: " + PulseCli.rootMessage(e));
            return null;
        }
    }

    private static void produce(GeneratorConfig gen, PulseConfig cfg, double rate, LiveSummary summary, AtomicBoolean stopping, PrintStream out) {
        Properties p = com.communitypulse.kafka.KafkaConnections.clientProperties(cfg);
        p.put("acks", "all");
        p.put("linger.ms", "20");
        p.put("compression.type", "lz4");
        Map<String, String> topicOf = Map.of("pulse.messages", cfg.get(PulseConfig.TOPIC_MESSAGES),
                "pulse.clicks", cfg.get(PulseConfig.TOPIC_CLICKS), "pulse.orders", cfg.get(PulseConfig.TOPIC_ORDERS));
        EventGenerator g = new EventGenerator(gen);
        long start = System.nanoTime();
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (!stopping.get() && g.hasNext()) {
                GeneratedRecord r = g.next();
                producer.send(new ProducerRecord<>(topicOf.getOrDefault(r.topic(), r.topic()), null, r.timestamp(), r.key(), r.value()));
                sent++;
                summary.produced(r);
                long due = start + (long) (sent / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    Thread.sleep(wait / 1_000_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopping.get()) {
                out.println("generator stopped: " + PulseCli.rootMessage(e));
            }
        }
    }

    private static double positive(String flag, String v) {
        try {
            double d = Double.parseDouble(v);
            if (d > 0) return d;
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw new UsageException("Invalid value '" + v + "' for --" + flag + ": use a positive number");
    }

    private static void closeAll(List<AutoCloseable> resources, PrintStream out) {
        synchronized (resources) {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    out.println("while stopping: " + PulseCli.rootMessage(e));
                }
            }
            resources.clear();
        }
    }
}
