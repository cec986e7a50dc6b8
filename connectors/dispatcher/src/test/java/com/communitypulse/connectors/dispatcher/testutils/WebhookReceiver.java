package com.communitypulse.connectors.dispatcher.testutils;

import com.communitypulse.connectors.dispatcher.WebhookVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 that receives the dispatcher's signed webhooks: it verifies every
 * signature with {@link WebhookVerifier}, can fail a share of requests with 500 or hang past the
 * client's timeout (then answer 200: the request was processed, the sender just never learnt it),
 * and records what it accepted.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as seen by the server. */
    public record Received(String webhookId, boolean signatureValid, int status, JsonNode body) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String secret;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final Random random;
    private volatile double failRate;
    private volatile double hangRate;
    private volatile long hangMs;
    private final List<Received> requests = new ArrayList<>();

    public WebhookReceiver(String secret, long seed) {
        this.secret = secret;
        this.random = new Random(seed);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/hook", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** Fails {@code failRate} of requests with 500 and makes {@code hangRate} of them wait {@code hangMs} before 200. */
    public WebhookReceiver misbehave(double failRate, double hangRate, long hangMs) {
        this.failRate = failRate;
        this.hangRate = hangRate;
        this.hangMs = hangMs;
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        boolean valid = WebhookVerifier.isValid(secret, ex.getRequestHeaders(), body);
        String id = ex.getRequestHeaders().getFirst("webhook-id");
        double roll;
        synchronized (random) {
            roll = random.nextDouble();
        }
        int status;
        if (!valid) {
            status = 401;
        } else if (roll < failRate) {
            status = 500;
        } else if (roll < failRate + hangRate) {
            sleep(hangMs);
            status = 200;
        } else {
            status = 200;
        }
        synchronized (requests) {
            requests.add(new Received(id, valid, status, MAPPER.readTree(body)));
        }
        byte[] resp = (status == 200 ? "ok" : "error").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, resp.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(resp);
        } catch (IOException clientGaveUp) {
            // The dispatcher timed out on a hung request; the request still counts as processed.
        }
    }

    public List<Received> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    public List<Received> accepted() {
        return requests().stream().filter(r -> r.status() == 200).toList();
    }

    /** Alert ids in accepted requests, one entry per occurrence (single alerts and digest members). */
    public List<String> acceptedAlertIds() {
        List<String> ids = new ArrayList<>();
        for (Received r : accepted()) {
            ids.addAll(alertIds(r.body()));
        }
        return ids;
    }

    public Set<String> distinctAcceptedAlertIds() {
        return new HashSet<>(acceptedAlertIds());
    }

    /** Webhook id → alert ids in its bodies over all requests, accepted or not. */
    public Map<String, Set<String>> alertIdsByWebhookId() {
        Map<String, Set<String>> m = new HashMap<>();
        for (Received r : requests()) {
            m.computeIfAbsent(r.webhookId(), k -> new HashSet<>()).addAll(alertIds(r.body()));
        }
        return m;
    }

    public static List<String> alertIds(JsonNode body) {
        List<String> ids = new ArrayList<>();
        if (body.has("alert")) {
            ids.add(body.get("alert").get("alert_id").asText());
        }
        body.path("alerts").forEach(a -> ids.add(a.get("alert_id").asText()));
        return ids;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
