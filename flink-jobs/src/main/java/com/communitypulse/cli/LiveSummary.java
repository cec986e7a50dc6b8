package com.communitypulse.cli;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.connectors.dispatcher.WebhookInbox;
import com.communitypulse.generator.GeneratedRecord;
import com.communitypulse.job.OutputTopic;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo's live view: reads every output topic with {@code read_committed} (what downstream
 * services see) and prints, every few seconds, input rate, dead-lettered and late counts, per
 * topic outputs, the busiest communities of the latest complete window with conversion, the
 * global rolling gauges and the latest alerts.
 */
final class LiveSummary implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));
    private final ObjectMapper om = new ObjectMapper();
    private final PulseConfig cfg;
    private final PrintStream out;
    /** Where the demo's dispatcher delivers; null when there is none. */
    private final WebhookInbox inbox;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, String> topicNames = new HashMap<>();
    private final Map<String, Long> outputs = new HashMap<>();
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong producedMalformed = new AtomicLong();
    private final AtomicLong producedLate = new AtomicLong();
    private final AtomicLong producedDuplicates = new AtomicLong();
    private volatile long latestEventTime;
    private final Map<String, JsonNode> latestWindow = new HashMap<>();
    private long latestWindowStart;
    private JsonNode globalRolling;
    private final Deque<JsonNode> alerts = new ArrayDeque<>();
    private final long startNanos = System.nanoTime();
    private long lastOutputNanos = System.nanoTime();
    private long lastProduced;
    private long lastPrintNanos = System.nanoTime();

    LiveSummary(PulseConfig cfg, WebhookInbox inbox, PrintStream out) {
        this.cfg = cfg;
        this.inbox = inbox;
        this.out = out;
        Properties p = com.communitypulse.kafka.KafkaConnections.clientProperties(cfg);
        p.put("group.id", "pulse-demo-summary");
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<String> topics = new ArrayList<>();
        for (OutputTopic t : OutputTopic.values()) {
            topics.add(t.topic(cfg));
            topicNames.put(t.topic(cfg), t.id());
        }
        consumer.subscribe(topics);
    }

    void produced(GeneratedRecord r) {
        produced.incrementAndGet();
        switch (r.kind()) {
            case MALFORMED: producedMalformed.incrementAndGet(); break;
            case LATE: producedLate.incrementAndGet(); break;
            case DUPLICATE: producedDuplicates.incrementAndGet(); break;
            default: break;
        }
        latestEventTime = Math.max(latestEventTime, r.timestamp());
    }

    boolean quietFor(Duration d) {
        synchronized (this) {
            return System.nanoTime() - lastOutputNanos > d.toNanos();
        }
    }

    void loop(Duration every, AtomicBoolean stopping) {
        try {
            while (!stopping.get()) {
                poll();
                if (System.nanoTime() - lastPrintNanos >= every.toNanos()) {
                    printNow();
                }
            }
        } catch (RuntimeException e) {
            if (!stopping.get()) {
                out.println("summary stopped: " + PulseCli.rootMessage(e));
            }
        }
    }

    private void poll() {
        var records = consumer.poll(Duration.ofMillis(500));
        synchronized (this) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String id = topicNames.getOrDefault(r.topic(), r.topic());
                outputs.merge(id, 1L, Long::sum);
                lastOutputNanos = System.nanoTime();
                try {
                    if (id.equals("metrics")) {
                        metric(om.readTree(r.value()));
                    } else if (id.equals("alerts")) {
                        alerts.addFirst(om.readTree(r.value()));
                        while (alerts.size() > 4) alerts.removeLast();
                    }
                } catch (java.io.IOException ignored) {
                    // the summary only displays; schemas are checked by the tests
                }
            }
        }
    }

    private void metric(JsonNode m) {
        if ("rolling".equals(m.path("kind").asText())) {
            if ("*".equals(m.path("community_id").asText())) {
                globalRolling = m;
            }
            return;
        }
        if (!cfg.get(PulseConfig.WINDOW).toString().equals(m.path("window").asText())) {
            return;
        }
        long start = m.path("window_start").asLong();
        if (start > latestWindowStart) {
            latestWindowStart = start;
            latestWindow.clear();
        }
        if (start == latestWindowStart) {
            latestWindow.put(m.path("community_id").asText(), m);
        }
    }

    synchronized void printNow() {
        long now = System.nanoTime();
        double secs = Math.max(0.001, (now - lastPrintNanos) / 1e9);
        long p = produced.get();
        double rate = (p - lastProduced) / secs;
        lastProduced = p;
        lastPrintNanos = now;
        long elapsed = (now - startNanos) / 1_000_000_000L;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n[%02d:%02d] in %,.0f ev/s (total %,d; malformed %,d, late %,d, dup %,d) | event time %s%n",
                elapsed / 60, elapsed % 60, rate, p, producedMalformed.get(), producedLate.get(), producedDuplicates.get(),
                latestEventTime == 0 ? "-" : TIME.format(Instant.ofEpochMilli(latestEventTime))));
        sb.append(String.format("  out: metrics %,d | dlq %,d | late %,d | alerts %,d | lifecycle %,d%n",
                outputs.getOrDefault("metrics", 0L), outputs.getOrDefault("dlq", 0L), outputs.getOrDefault("late", 0L),
                outputs.getOrDefault("alerts", 0L), outputs.getOrDefault("lifecycle", 0L)));
        if (globalRolling != null) {
            JsonNode g = globalRolling.path("metrics");
            sb.append(String.format("  global as of %s: dau %,d  wau %,d  mau %,d  stickiness %s  members %,d%n",
                    TIME.format(Instant.ofEpochMilli(globalRolling.path("as_of").asLong())), g.path("dau").asLong(), g.path("wau").asLong(),
                    g.path("mau").asLong(), pct(g.path("stickiness")), g.path("members").asLong()));
        }
        JsonNode all = latestWindow.get("*");
        if (all != null) {
            JsonNode m = all.path("metrics");
            sb.append(String.format("  window %s: messages %,d  active %,d  clicks %,d  orders %,d  GMV ¥%,.2f  conversion %s  negative %s%n",
                    TIME.format(Instant.ofEpochMilli(latestWindowStart)), m.path("messages").asLong(), m.path("active_members").asLong(),
                    m.path("clicks").asLong(), m.path("orders").asLong(), m.path("gmv_minor").asLong() / 100.0,
                    pct(m.path("conversion_rate")), pct(m.path("negative_ratio"))));
        }
        List<JsonNode> top = new ArrayList<>(latestWindow.values());
        top.removeIf(n -> "*".equals(n.path("community_id").asText()));
        top.sort((a, b) -> Long.compare(b.path("metrics").path("messages").asLong(), a.path("metrics").path("messages").asLong()));
        if (!top.isEmpty()) {
            sb.append("  top communities:");
            for (JsonNode n : top.subList(0, Math.min(5, top.size()))) {
                sb.append(String.format(" %s(msgs %d, active %d, orders %d)", n.path("community_id").asText(),
                        n.path("metrics").path("messages").asLong(), n.path("metrics").path("active_members").asLong(),
                        n.path("metrics").path("orders").asLong()));
            }
            sb.append('\n');
        }
        for (JsonNode a : alerts) {
            sb.append(String.format("  alert %s %s %s%s%n", a.path("type").asText(), a.path("community_id").asText(),
                    a.path("state").isMissingNode() || a.path("state").isNull() ? "" : a.path("state").asText() + " ",
                    a.path("severity").asText()));
        }
        if (inbox != null) {
            List<JsonNode> latest = inbox.latest();
            sb.append(String.format("  moderator inbox: %,d webhook messages (signatures verified, %,d rejected)%s%n", inbox.distinctMessages(),
                    inbox.rejected(), latest.isEmpty() ? "" : "; latest: " + firstLine(latest.get(latest.size() - 1).path("text").asText())));
        }
        out.print(sb);
        out.flush();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 100 ? line.substring(0, 100) + "…" : line;
    }

    private static String pct(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "-" : String.format("%.1f%%", n.asDouble() * 100);
    }

    @Override
    public void close() {
        try {
            consumer.wakeup();
        } catch (RuntimeException ignored) {
            // closing anyway
        }
    }
}
