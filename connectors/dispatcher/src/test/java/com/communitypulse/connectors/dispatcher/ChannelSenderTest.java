package com.communitypulse.connectors.dispatcher;

import static com.communitypulse.connectors.dispatcher.testutils.TestAlerts.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.connectors.dispatcher.channel.Channel;
import com.communitypulse.connectors.dispatcher.channel.Channels;
import com.communitypulse.connectors.dispatcher.channel.Message;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig.ChannelConfig;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import com.communitypulse.connectors.dispatcher.testutils.Await;
import com.communitypulse.connectors.dispatcher.testutils.TestAlerts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Channel formats, signing, retries and digesting against a real local HTTP server. */
class ChannelSenderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DING_SECRET = "SECd1ngt4lk-test-secret";

    private record Request(String path, String query, JsonNode body, long receivedAt) {}

    private HttpServer server;
    private java.util.concurrent.ExecutorService serverPool;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    /** Scripted responses per path (status, body); when empty: 200 with {"errcode":0}. */
    private final Map<String, Queue<String[]>> script = new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
    private final List<Message> delivered = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            requests.add(new Request(ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(), MAPPER.readTree(body), System.currentTimeMillis()));
            String[] resp = script.getOrDefault(ex.getRequestURI().getPath(), new ArrayDeque<>()).poll();
            if (resp == null) {
                resp = new String[] {"200", "{\"errcode\":0,\"errmsg\":\"ok\"}"};
            }
            byte[] out = resp[1].getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(Integer.parseInt(resp[0]), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        });
        // Several handler threads, so that overlapping requests would be seen as such.
        serverPool = Executors.newFixedThreadPool(8);
        server.setExecutor(serverPool);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverPool.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void shouldSendWeComMarkdownThatAPersonCanActOn() {
        ChannelSender s = sender("wecom", "/wecom?key=k1", null, null);
        s.submit(item(TestAlerts.negativeMessage("a0000000000000000000000000000001", "c42", "u7", BEGINNING)));
        awaitOutcomes(1);

        JsonNode body = requests.get(0).body();
        assertThat(requests.get(0).query()).isEqualTo("key=k1");
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(body.at("/markdown/content").asText())
                .startsWith("**WARNING · Negative message · community c42**")
                .contains("> Member: u7", "refund, quality", "score -0.82", "Excerpt: **** 退货 **** terrible",
                        "Matched terms: 退货, terrible", "Event time: 2024-05-01 10:00 UTC", "a0000000000000000000000000000001");
        assertThat(outcomes).containsExactly("delivered:1");
    }

    @Test
    void shouldLeadWithTheJobsReasonInWordsWhenTheEvidenceCarriesOne() {
        ChannelSender s = sender("wecom", "/wecom?key=k1", null, null);
        var alert = TestAlerts.memberAtRisk("a0000000000000000000000000000002", "c42", "u7", BEGINNING);
        ((com.fasterxml.jackson.databind.node.ObjectNode) alert.get("evidence"))
                .put("summary", "usually back within 1.1 d (p90 1.9 d), silent 7 d; at risk after 7 d");
        s.submit(item(alert));
        awaitOutcomes(1);

        String content = requests.get(0).body().at("/markdown/content").asText();
        assertThat(content).contains("> Why: usually back within 1.1 d (p90 1.9 d), silent 7 d; at risk after 7 d");
        assertThat(content.indexOf("> Why:")).isLessThan(content.indexOf("> Evidence:"));
        assertThat(content).doesNotContain("summary=");
    }

    @Test
    void shouldSignEveryDingTalkAttemptWithTimestampAndSign() throws Exception {
        script.put("/ding", new ArrayDeque<>(List.<String[]>of(new String[] {"200", "{\"errcode\":130101,\"errmsg\":\"send too fast\"}"})));
        ChannelSender s = sender("dingtalk", "/ding?access_token=tok", DING_SECRET, null);
        s.submit(item(TestAlerts.negativeSpike("b0000000000000000000000000000001", "c42", "firing", BEGINNING)));
        awaitOutcomes(1);

        assertThat(requests).hasSize(2); // errcode 130101 (rate limited) is retried
        for (Request r : requests) {
            Map<String, String> q = query(r.query());
            assertThat(q.get("access_token")).isEqualTo("tok");
            long ts = Long.parseLong(q.get("timestamp"));
            assertThat(Math.abs(r.receivedAt() - ts)).isLessThan(5_000);
            // Independent check of DingTalk's scheme: base64(HmacSHA256(secret, ts + "\n" + secret)).
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(DING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(mac.doFinal((ts + "\n" + DING_SECRET).getBytes(StandardCharsets.UTF_8)));
            assertThat(URLDecoder.decode(q.get("sign"), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
        JsonNode md = requests.get(1).body().get("markdown");
        assertThat(md.get("title").asText()).isEqualTo("CRITICAL · Negative-sentiment spike FIRING · community c42");
        assertThat(md.get("text").asText()).contains("42% of scored messages", "51 of 120", "23 authors", "baseline 8%", "退款 (17)");
        assertThat(outcomes).containsExactly("delivered:2");
    }

    @Test
    void shouldSendSlackTextForAResolvedSpike() {
        ChannelSender s = sender("slack", "/slack/T0/B0/x", null, null);
        s.submit(item(TestAlerts.negativeSpike("c0000000000000000000000000000001", "c<1>", "resolved", BEGINNING)));
        awaitOutcomes(1);
        assertThat(requests.get(0).body().get("text").asText())
                .startsWith("*CRITICAL · Negative-sentiment spike RESOLVED · community c&lt;1&gt;*")
                .contains("is over after 45 min, peak 55%");
    }

    @Test
    void shouldDeadLetterAtOnceWhenTheEndpointRejectsTheRequest() {
        script.put("/slack/gone", new ArrayDeque<>(List.<String[]>of(new String[] {"404", "no_service"})));
        ChannelSender s = sender("slack", "/slack/gone", null, null);
        s.submit(item(TestAlerts.memberAtRisk("d0000000000000000000000000000001", "c1", "u1", BEGINNING)));
        awaitOutcomes(1);
        assertThat(outcomes).containsExactly("exhausted:1:HTTP 404 (not retried: check the channel URL and credentials)");
    }

    @Test
    void shouldDigestEveryAlertBeyondTheRateLimitIntoOneMessage() {
        ChannelSender s = sender("wecom", "/wecom?key=k2", null, new RateLimiter(3, 60_000));
        for (int i = 0; i < 20; i++) {
            s.submit(item(TestAlerts.negativeMessage(TestAlerts.alertId("digest", i), "c9", "u" + i, BEGINNING.plusSeconds(i))));
        }
        Await.until("digest sent", Duration.ofSeconds(10), () -> {
            s.tick();
            return outcomes.size() == 4;
        }, () -> outcomes.toString());

        assertThat(delivered.stream().filter(m -> !m.isDigest())).hasSize(3);
        Message digest = delivered.stream().filter(Message::isDigest).findFirst().orElseThrow();
        assertThat(digest.alerts()).hasSize(17);
        assertThat(digest.id()).startsWith("digest_").isEqualTo(Message.digest(digest.alerts()).id());
        String content = requests.get(3).body().at("/markdown/content").asText();
        assertThat(content).startsWith("**Digest · 17 alerts held back by the rate limit of channel test**")
                .contains("By type: NEGATIVE_MESSAGE 17", "By community: c9 17", "… and 7 more");
        assertThat(content.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    }

    @Test
    void shouldSendOneMessageAtATimeInOrderWhenConcurrencyIsOne() {
        java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger maxActive = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/slow", ex -> {
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            byte[] body = ex.getRequestBody().readAllBytes();
            requests.add(new Request(ex.getRequestURI().getPath(), null, MAPPER.readTree(body), System.currentTimeMillis()));
            try {
                Thread.sleep(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            active.decrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        ChannelSender s = sender("slack", "/slow", null, null);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            var json = TestAlerts.memberAtRisk(TestAlerts.alertId("order", i), "c1", "u" + i, BEGINNING.plusSeconds(i));
            sent.add(json.get("alert_id").asText());
            s.submit(item(json));
        }
        awaitOutcomes(12);
        assertThat(maxActive.get()).isEqualTo(1);
        assertThat(delivered.stream().map(Message::id)).containsExactlyElementsOf(sent);
    }

    private ChannelSender sender(String type, String path, String secret, RateLimiter limiter) {
        ChannelConfig cc = new ChannelConfig();
        cc.type = type;
        cc.url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
        cc.secret = secret;
        // These tests read the English text in UTC; ChatFormatsTest covers zh-CN, time zones and the directory.
        cc.locale = type.equals("webhook") ? null : "en";
        Channel ch = Channels.create("test", cc, new SecretResolver(k -> null, null), Duration.ofSeconds(2), MAPPER,
                java.time.ZoneOffset.UTC, com.communitypulse.connectors.dispatcher.config.Directory.EMPTY, null);
        ChannelSender.Listener l = new ChannelSender.Listener() {
            @Override
            public void delivered(ChannelSender s, Message m, List<ChannelSender.Item> items, int attempts, long latencyNanos) {
                delivered.add(m);
                outcomes.add("delivered:" + attempts);
            }

            @Override
            public void retrying(ChannelSender s, Message m, int attempt, String error) {}

            @Override
            public void exhausted(ChannelSender s, Message m, List<ChannelSender.Item> items, int attempts, String lastError) {
                outcomes.add("exhausted:" + attempts + ":" + lastError);
            }
        };
        return new ChannelSender(ch, limiter, 300, 1, 5, new Backoff(20, 100), http, timer, l,
                System::currentTimeMillis, x -> x, 2000);
    }

    private static ChannelSender.Item item(com.fasterxml.jackson.databind.node.ObjectNode json) {
        Alert a = Alert.parse(MAPPER, TestAlerts.bytes(json));
        return new ChannelSender.Item(a, a.alertId() + "@test", new OffsetTracker.Ticket(new TopicPartition("t", 0), 0, 0));
    }

    private void awaitOutcomes(int n) {
        Await.until(n + " outcome(s)", Duration.ofSeconds(10), () -> outcomes.size() >= n, outcomes::toString);
    }

    private static Map<String, String> query(String q) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String kv : q.split("&")) {
            int i = kv.indexOf('=');
            m.put(kv.substring(0, i), kv.substring(i + 1));
        }
        return m;
    }
}
