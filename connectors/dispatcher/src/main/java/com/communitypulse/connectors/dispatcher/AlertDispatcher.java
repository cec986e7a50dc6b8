package com.communitypulse.connectors.dispatcher;

import com.communitypulse.security.KafkaSecurity;
import com.communitypulse.connectors.dispatcher.ChannelSender.Item;
import com.communitypulse.connectors.dispatcher.channel.Channel;
import com.communitypulse.connectors.dispatcher.channel.Channels;
import com.communitypulse.connectors.dispatcher.channel.Message;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig.ChannelConfig;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code pulse.alerts} (read_committed, its own group) and delivers each alert to the
 * channels its route selects.
 *
 * <p><b>No alert is lost:</b> an offset is committed only when every delivery of that record and of
 * all records before it in the partition is final: accepted by the channel, skipped because the
 * {@link DeliveredStore} says it was delivered before, or written (and acknowledged) to
 * {@code pulse.alerts.undelivered} with its last error after retries ran out. Records that are not
 * valid alerts are dead-lettered too. A crash therefore re-reads everything not final, and the
 * delivered store keeps that from resending what was delivered (at-least-once, duplicates only in
 * the window between a delivery and its store write).
 *
 * <p>The consumer thread owns Kafka; deliveries run asynchronously in {@link ChannelSender}s. When
 * {@code max_pending} deliveries are outstanding, the consumer pauses.
 *
 * <h2>How to run</h2>
 * {@code DispatcherMain --config dispatcher.yaml}; see the module README for the file format.
 */
public final class AlertDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);
    private static final long COMMIT_INTERVAL_MS = 200;

    private final DispatcherConfig cfg;
    private final SecretResolver secrets;
    private final ObjectMapper mapper = new ObjectMapper();
    private final DispatcherMetrics metrics;
    private final PrometheusRegistry registry;
    private final Routing routing;
    private final Map<String, ChannelSender> senders = new LinkedHashMap<>();
    private final Map<String, Item> inFlight = new ConcurrentHashMap<>();
    private final OffsetTracker tracker = new OffsetTracker();
    private final Properties clientProps;
    private final KafkaSecurity kafkaSecurity;
    private final ExecutorService httpExecutor;
    private final ScheduledExecutorService timer;
    private final HttpClient http;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private DeliveredStore store;
    private HTTPServer metricsServer;
    private Thread thread;
    private volatile boolean running;
    private volatile boolean ready;
    private volatile Throwable failure;
    private long lastCommit;

    /**
     * Builds channels and routes (throws {@link com.communitypulse.flags.UsageException}
     * for a bad config or secret) without touching the network.
     */
    public AlertDispatcher(DispatcherConfig cfg, SecretResolver secrets, PrometheusRegistry registry) {
        this.cfg = cfg.validate();
        this.secrets = secrets;
        this.registry = registry;
        this.metrics = new DispatcherMetrics(registry);
        this.routing = new Routing(cfg.routes);
        this.clientProps = new Properties();
        clientProps.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cfg.kafka.bootstrapServers);
        cfg.kafka.properties.forEach((k, v) -> clientProps.put(k, secrets.resolve("kafka.properties." + k, v)));
        this.kafkaSecurity = kafkaSecurity(cfg.kafka.security, secrets);
        kafkaSecurity.applyTo(clientProps);
        this.httpExecutor = Executors.newCachedThreadPool(daemon("dispatcher-http"));
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("dispatcher-timer"));
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer = t;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(cfg.delivery.connectTimeoutMs))
                .followRedirects(HttpClient.Redirect.NEVER).executor(httpExecutor).build();
        Backoff backoff = new Backoff(cfg.delivery.initialBackoffMs, cfg.delivery.maxBackoffMs);
        Duration timeout = Duration.ofMillis(cfg.delivery.requestTimeoutMs);
        ChannelSender.Listener listener = new Outcomes();
        com.communitypulse.connectors.dispatcher.config.Directory directory = cfg.directory == null
                ? com.communitypulse.connectors.dispatcher.config.Directory.EMPTY
                : com.communitypulse.connectors.dispatcher.config.Directory.load(java.nio.file.Path.of(cfg.directory));
        java.time.ZoneId zone = java.time.ZoneId.of(cfg.timeZone.trim());
        cfg.channels.forEach((name, cc) -> {
            Channel ch = Channels.create(name, cc, secrets, timeout, mapper, zone, directory, cfg.linkTemplate);
            senders.put(name, sender(ch, cc, backoff, listener));
            metrics.initChannel(name);
        });
    }

    private ChannelSender sender(Channel ch, ChannelConfig cc, Backoff backoff, ChannelSender.Listener listener) {
        RateLimiter limiter = null;
        long digestMs = 0;
        if (cc.rateLimit != null) {
            limiter = new RateLimiter(cc.rateLimit.maxMessages, cc.rateLimit.windowSeconds * 1000L);
            digestMs = (cc.rateLimit.digestIntervalSeconds != null ? cc.rateLimit.digestIntervalSeconds : cc.rateLimit.windowSeconds) * 1000L;
        }
        return new ChannelSender(ch, limiter, digestMs, cc.concurrency, cfg.delivery.maxAttempts, backoff, http, timer,
                listener, System::currentTimeMillis, secrets::mask, cfg.delivery.requestTimeoutMs);
    }

    /** Connects (topics, delivered store, metrics endpoint) and starts the consumer thread. */
    public AlertDispatcher start() {
        connect();
        running = true;
        thread = new Thread(this::loop, "alert-dispatcher");
        thread.start();
        return this;
    }

    /** Port of the metrics endpoint, or -1 when disabled. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.getPort();
    }

    /** True once the consumer has joined the group and received partitions. */
    public boolean isReady() {
        return ready;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Blocks until the dispatcher stops; returns the failure that stopped it, if any. */
    public Throwable awaitStopped() throws InterruptedException {
        stopped.await();
        return failure;
    }

    private void connect() {
        if (cfg.kafka.createTopics) {
            createTopics();
        }
        Properties pp = new Properties();
        pp.putAll(clientProps);
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Delivered-store writes are awaited before the channel's next message: no lingering.
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        pp.put(ProducerConfig.CLIENT_ID_CONFIG, cfg.kafka.groupId + "-producer");
        producer = new KafkaProducer<>(pp);
        store = new DeliveredStore(cfg.kafka.deliveredTopic, cfg.dedup.maxEntries, producer);
        store.load(clientProps, Duration.ofSeconds(60));

        Properties cp = new Properties();
        cp.putAll(clientProps);
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, cfg.kafka.groupId);
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(cp);

        if (cfg.metrics.enabled) {
            try {
                metricsServer = HTTPServer.builder().hostname(cfg.metrics.host).port(cfg.metrics.port).registry(registry).buildAndStart();
            } catch (IOException e) {
                throw new UncheckedIOException("metrics endpoint " + cfg.metrics.host + ":" + cfg.metrics.port
                        + " cannot be opened (" + e.getMessage() + "): choose another metrics.port or --metrics-port", e);
            }
        }
        LOG.info("Dispatcher connected: alerts {} (group {}), channels {}, metrics {}", cfg.kafka.alertsTopic,
                cfg.kafka.groupId, senders.keySet(), metricsServer == null ? "off" : cfg.metrics.host + ":" + metricsServer.getPort());
    }

    /** The shared security section from {@code kafka.security}; unknown keys and missing secrets fail in one line. */
    static KafkaSecurity kafkaSecurity(Map<String, String> section, SecretResolver secrets) {
        for (String k : section.keySet()) {
            if (KafkaSecurity.KEYS.stream().noneMatch(x -> x.key().equals("kafka." + k))) {
                throw new com.communitypulse.flags.UsageException("kafka.security." + k + " is not a security setting: use "
                        + KafkaSecurity.KEYS.stream().map(x -> x.key().substring("kafka.".length())).collect(java.util.stream.Collectors.joining(", ")));
            }
        }
        try {
            return KafkaSecurity.from(k -> section.get(k.substring("kafka.".length())), secrets::env);
        } catch (com.communitypulse.security.SecretException e) {
            throw new com.communitypulse.flags.UsageException("kafka.security: " + e.getMessage());
        }
    }

    private void createTopics() {
        try (Admin admin = Admin.create(clientProps)) {
            List<NewTopic> topics = List.of(
                    // Dead letters are the last copy of an alert: never deleted by time.
                    new NewTopic(cfg.kafka.undeliveredTopic, 1, (short) -1).configs(Map.of("retention.ms", "-1")),
                    new NewTopic(cfg.kafka.deliveredTopic, 1, (short) -1).configs(Map.of("cleanup.policy", "compact")));
            for (var f : admin.createTopics(topics).values().entrySet()) {
                try {
                    f.getValue().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    String explained = kafkaSecurity.explain(e, cfg.kafka.bootstrapServers);
                    if (explained != null) {
                        throw new IllegalStateException(explained);
                    }
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + f.getKey() + ": " + e.getCause().getMessage()
                                + " (create it yourself and set kafka.create_topics: false)");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + cfg.kafka.bootstrapServers + " did not answer within 60 s: check kafka.bootstrap_servers");
        }
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(cfg.kafka.alertsTopic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit(partitions, true);
                    tracker.revoked(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    tracker.assigned(partitions);
                    ready = true;
                }
            });
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    handle(r);
                }
                senders.values().forEach(ChannelSender::tick);
                commit(null, false);
                backpressure();
            }
        } catch (WakeupException e) {
            // close() woke the consumer.
        } catch (Throwable t) {
            failure = t;
            LOG.error("Dispatcher stopped: {}", secrets.mask(String.valueOf(t)));
        } finally {
            shutdown();
            stopped.countDown();
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        metrics.consumed.inc();
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        OffsetTracker.Ticket ticket = tracker.track(tp, r.offset(), 0);
        Alert a;
        try {
            a = Alert.parse(mapper, r.value());
        } catch (IllegalArgumentException e) {
            metrics.invalid.inc();
            tracker.addDelivery(ticket);
            ObjectNode dl = deadLetterBase(null, null, ticket);
            dl.put("last_error", "invalid alert: " + e.getMessage());
            dl.put("raw_base64", r.value() == null ? "" : Base64.getEncoder().encodeToString(r.value()));
            writeDeadLetter(r.key(), dl, () -> tracker.finish(ticket));
            return;
        }
        List<String> channels = routing.channelsFor(a);
        if (channels.isEmpty()) {
            metrics.unrouted.inc();
            return;
        }
        for (String ch : channels) {
            String key = DeliveredStore.key(a.alertId(), ch);
            tracker.addDelivery(ticket);
            // Order matters: in-flight first, then the store, because a delivery is stored before it leaves in-flight.
            Item existing = inFlight.get(key);
            if (existing != null && existing.attach(ticket)) {
                metrics.duplicates.labelValues(ch).inc();
                continue;
            }
            if (store.contains(key)) {
                metrics.duplicates.labelValues(ch).inc();
                tracker.finish(ticket);
                continue;
            }
            Item item = new Item(a, key, ticket);
            inFlight.put(key, item);
            senders.get(ch).submit(item);
        }
    }

    private void commit(Collection<TopicPartition> only, boolean force) {
        long now = System.nanoTime() / 1_000_000;
        if (!force && now - lastCommit < COMMIT_INTERVAL_MS) {
            return;
        }
        lastCommit = now;
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit(only);
        metrics.pending.set(tracker.outstanding());
        if (offsets.isEmpty()) {
            return;
        }
        // Delivered-store records first, so that a restart after this commit knows what was sent.
        producer.flush();
        consumer.commitSync(offsets);
        tracker.committed(offsets);
    }

    private void backpressure() {
        var assignment = consumer.assignment();
        if (tracker.outstanding() >= cfg.delivery.maxPending) {
            consumer.pause(assignment);
        } else if (!consumer.paused().isEmpty() && tracker.outstanding() < cfg.delivery.maxPending * 4 / 5) {
            consumer.resume(consumer.paused());
        }
    }

    private ObjectNode deadLetterBase(Alert a, ChannelSender s, OffsetTracker.Ticket t) {
        ObjectNode o = mapper.createObjectNode();
        o.put("schema_version", 1);
        if (a != null) {
            o.put("alert_id", a.alertId());
        }
        if (s != null) {
            o.put("channel", s.name());
            o.put("channel_type", s.channel().type());
        }
        o.put("dead_lettered_at", System.currentTimeMillis());
        ObjectNode src = o.putObject("source");
        src.put("topic", t.partition().topic());
        src.put("partition", t.partition().partition());
        src.put("offset", t.offset());
        return o;
    }

    /** Sends until the broker acknowledges; only then does {@code onAck} release the offset. */
    private void writeDeadLetter(byte[] key, ObjectNode value, Runnable onAck) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        producer.send(new ProducerRecord<>(cfg.kafka.undeliveredTopic, key, bytes), (md, e) -> {
            if (e == null) {
                onAck.run();
                return;
            }
            LOG.warn("Dead-letter write to {} failed ({}); retrying in 1 s", cfg.kafka.undeliveredTopic, e.toString());
            try {
                timer.schedule(() -> writeDeadLetter(key, value, onAck), 1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // Left uncommitted: the record is read again after the restart.
            }
        });
    }

    /** Callbacks from the channel senders (HTTP and timer threads). */
    private final class Outcomes implements ChannelSender.Listener {
        @Override
        public void delivered(ChannelSender s, Message m, List<Item> items, int attempts, long latencyNanos) {
            long now = System.currentTimeMillis();
            List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
            for (Item i : items) {
                writes.add(store.markDelivered(i.key, i.alert.alertId(), s.name(), now));
                inFlight.remove(i.key, i);
                i.finish().forEach(tracker::finish);
            }
            // The channel's next message waits for these writes (this runs before the sender's slot is released),
            // which bounds what a crash can resend to the messages in flight.
            for (java.util.concurrent.Future<?> w : writes) {
                try {
                    w.get(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    break; // logged by the send callback; only de-duplication after a restart is at stake
                }
            }
            metrics.messagesDelivered.labelValues(s.name(), m.kind()).inc();
            metrics.alertsDelivered.labelValues(s.name()).inc(items.size());
            if (m.isDigest()) {
                metrics.digested.labelValues(s.name()).inc(items.size());
            }
            metrics.latency.labelValues(s.name()).observe(latencyNanos / 1e9);
            if (attempts > 1) {
                LOG.info("Delivered {} {} to {} after {} attempts", m.kind(), m.id(), s.name(), attempts);
            }
        }

        @Override
        public void retrying(ChannelSender s, Message m, int attempt, String error) {
            metrics.failedAttempts.labelValues(s.name()).inc();
            metrics.retried.labelValues(s.name()).inc();
            LOG.debug("Attempt {} of {} {} to {} failed: {}", attempt, m.kind(), m.id(), s.name(), error);
        }

        @Override
        public void exhausted(ChannelSender s, Message m, List<Item> items, int attempts, String lastError) {
            metrics.failedAttempts.labelValues(s.name()).inc();
            LOG.warn("Dead-lettering {} alert(s) of {} {} for {} after {} attempts: {}", items.size(), m.kind(), m.id(),
                    s.name(), attempts, lastError);
            for (Item i : items) {
                List<OffsetTracker.Ticket> tickets = i.finish();
                inFlight.remove(i.key, i);
                ObjectNode dl = deadLetterBase(i.alert, s, tickets.get(0));
                dl.put("message_id", m.id());
                dl.put("attempts", attempts);
                dl.put("last_error", secrets.mask(lastError));
                dl.set("alert", i.alert.json());
                byte[] key = i.alert.alertId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                writeDeadLetter(key, dl, () -> {
                    metrics.deadLettered.labelValues(s.name()).inc();
                    tickets.forEach(tracker::finish);
                });
            }
        }
    }

    /** Stops reading; lets requests in flight finish for up to {@code shutdown_grace_ms}, commits what is final. */
    @Override
    public void close() {
        if (thread == null) {
            // Never started, or start() failed half-way: release whatever it opened.
            shutdownExecutors();
            if (consumer != null) {
                consumer.close(Duration.ZERO);
            }
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            if (metricsServer != null) {
                metricsServer.close();
            }
            return;
        }
        running = false;
        if (Thread.currentThread() != thread) {
            try {
                thread.join(cfg.delivery.shutdownGraceMs + 30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void shutdown() {
        senders.values().forEach(ChannelSender::stop);
        long deadline = System.nanoTime() + cfg.delivery.shutdownGraceMs * 1_000_000;
        while (System.nanoTime() < deadline && senders.values().stream().anyMatch(s -> s.activeRequests() > 0)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            if (consumer != null) {
                producer.flush();
                commit(null, true);
            }
        } catch (RuntimeException e) {
            LOG.warn("Final commit failed ({}); uncommitted alerts are delivered again after the restart", e.toString());
        }
        shutdownExecutors();
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        LOG.info("Dispatcher stopped");
    }

    private void shutdownExecutors() {
        timer.shutdownNow();
        httpExecutor.shutdownNow();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
