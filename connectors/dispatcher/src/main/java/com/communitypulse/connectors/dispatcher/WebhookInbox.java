package com.communitypulse.connectors.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A moderator's inbox for trying the dispatcher without a chat tool: a real HTTP server on
 * 127.0.0.1 that accepts Standard Webhooks deliveries, verifies each signature with
 * {@link WebhookVerifier} (a tampered or unsigned request gets 401 and is counted, never kept), and
 * keeps the counts and the latest few alerts. The demo wires the dispatcher to one; it is the
 * receiving side an integrator would write, in thirty lines.
 */
public final class WebhookInbox implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int KEEP_LATEST = 20;

    private final String secret;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "webhook-inbox");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Set<String> ids = new HashSet<>();
    private final Deque<JsonNode> latest = new ArrayDeque<>();

    private WebhookInbox(String secret, int port) throws IOException {
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/hook", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** Starts an inbox on 127.0.0.1:{@code port} (0 = any free port) that accepts webhooks signed with {@code secret} ({@code whsec_...}). */
    public static WebhookInbox start(String secret, int port) throws IOException {
        return new WebhookInbox(secret, port);
    }

    /** A fresh Standard Webhooks secret: {@code whsec_} and 32 random bytes in base64. */
    public static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /**
     * Writes a dispatcher config that delivers every alert from {@code bootstrap} to this inbox
     * (channel {@code inbox}, rate-limited to 30 messages a minute with digests beyond), with the
     * signing secret in a {@code secrets.properties} beside it readable by the owner only.
     * Returns the config file.
     */
    public Path writeDispatcherConfig(Path dir, String bootstrap, String groupId) throws IOException {
        Files.createDirectories(dir);
        Path secrets = dir.resolve("dispatcher-secrets.properties");
        Files.writeString(secrets, "inbox.secret=" + secret + "\n");
        try {
            Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the file inherits the directory's ACL.
        }
        Path cfg = dir.resolve("dispatcher.yaml");
        Files.writeString(cfg, String.join("\n",
                "# Written for a local run: every alert to a WebhookInbox on 127.0.0.1.",
                "kafka:",
                "  bootstrap_servers: " + bootstrap,
                "  group_id: " + groupId,
                "secrets_file: " + secrets.getFileName(),
                "metrics: {enabled: true, host: 127.0.0.1, port: 0}",
                "delivery: {max_attempts: 5, initial_backoff_ms: 200, max_backoff_ms: 5000, request_timeout_ms: 5000}",
                "channels:",
                "  inbox:",
                "    type: webhook",
                "    url: " + url(),
                "    secret: ${secret:inbox.secret}",
                "    rate_limit: {max_messages: 30, window_seconds: 60, digest_interval_seconds: 30}",
                "routes:",
                "  default:",
                "    - channel: inbox",
                ""));
        return cfg;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Requests with a valid signature (retries of one delivery included). */
    public long accepted() {
        return accepted.get();
    }

    /** Requests whose signature did not verify. */
    public long rejected() {
        return rejected.get();
    }

    /** Distinct {@code webhook-id}s accepted: one per delivered message, however often it was retried. */
    public synchronized int distinctMessages() {
        return ids.size();
    }

    /** The bodies of the latest accepted messages, oldest first. */
    public synchronized List<JsonNode> latest() {
        return List.copyOf(latest);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!"POST".equals(ex.getRequestMethod()) || !WebhookVerifier.isValid(secret, ex.getRequestHeaders(), body)) {
                rejected.incrementAndGet();
                respond(ex, 401, "signature does not verify");
                return;
            }
            JsonNode json;
            try {
                json = MAPPER.readTree(body);
            } catch (IOException e) {
                rejected.incrementAndGet();
                respond(ex, 400, "body is not JSON");
                return;
            }
            accepted.incrementAndGet();
            synchronized (this) {
                ids.add(ex.getRequestHeaders().getFirst("webhook-id"));
                latest.addLast(json);
                if (latest.size() > KEEP_LATEST) latest.removeFirst();
            }
            respond(ex, 200, "ok");
        }
    }

    private static void respond(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
