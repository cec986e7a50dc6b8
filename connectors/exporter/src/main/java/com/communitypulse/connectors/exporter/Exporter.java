package com.communitypulse.connectors.exporter;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/**
 * The running exporter: a {@link TopicReader} filling a {@link PulseBoard}, and an HTTP server
 * exposing it on {@code http://bind-host:port/metrics}. Closing stops both.
 *
 * <pre>
 * try (Exporter e = Exporter.start(ExporterConfig.defaults())) {
 *     System.out.println(e.url());   // http://127.0.0.1:9464/metrics
 * }
 * </pre>
 */
public final class Exporter implements AutoCloseable {
    private final PulseBoard board;
    private final TopicReader reader;
    private final HTTPServer server;
    private final String host;
    /** close() may be called twice (a test stops the exporter, then try-with-resources closes it). */
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Exporter(PulseBoard board, TopicReader reader, HTTPServer server, String host) {
        this.board = board;
        this.reader = reader;
        this.server = server;
        this.host = host;
    }

    public static Exporter start(ExporterConfig cfg) throws IOException {
        PulseBoard board = new PulseBoard(cfg.integer(ExporterConfig.TOP_N), cfg.integer(ExporterConfig.MAX_ALERT_COMMUNITIES), System::currentTimeMillis);
        // Own registry: the default one is process-wide and would collide with other users in the same JVM (demo, tests).
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(board);
        String host = cfg.get(ExporterConfig.BIND_HOST);
        HTTPServer server = HTTPServer.builder().hostname(host).port(cfg.integer(ExporterConfig.PORT)).registry(registry).buildAndStart();
        TopicReader reader;
        try {
            reader = new TopicReader(cfg, board);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        reader.start();
        return new Exporter(board, reader, server, host);
    }

    public int port() {
        return server.getPort();
    }

    public String url() {
        return "http://" + host + ":" + port() + "/metrics";
    }

    public PulseBoard board() {
        return board;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            reader.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
        }
    }
}
