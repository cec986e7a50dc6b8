package com.communitypulse.job;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Properties;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's Prometheus reporter bound to one address ({@code metrics.reporter.prom.host}, our
 * {@code bind-host}). Flink 2.2's own {@code PrometheusReporter} only takes a port and listens on
 * every interface (it builds {@code new InetSocketAddress(port)}), so its {@code host} setting is
 * silently ignored; local runs and the demo use this factory so that the scrape endpoint is on
 * 127.0.0.1 unless widened explicitly. On a cluster the cluster's own reporter configuration applies.
 *
 * <p>Registered through {@code META-INF/services}; the metrics and their names are Flink's own
 * (same {@link AbstractPrometheusReporter}), only the socket differs.
 */
public final class BoundPrometheusReporterFactory implements MetricReporterFactory {
    public static final String CLASS_NAME = BoundPrometheusReporterFactory.class.getName();

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        String host = properties.getProperty("host", "127.0.0.1");
        int port = Integer.parseInt(properties.getProperty("port", "9249").trim());
        return new Reporter(host, port);
    }

    /** The reporter: Flink's collectors, served from {@code host:port}. */
    static final class Reporter extends AbstractPrometheusReporter {
        private final HTTPServer server;

        Reporter(String host, int port) {
            try {
                // The registry is package-private in Flink; reading it keeps Flink's metric mapping unchanged.
                Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
                f.setAccessible(true);
                server = new HTTPServer(new InetSocketAddress(host, port), (CollectorRegistry) f.get(this), true);
                log.info("Started Prometheus reporter on {}:{}", host, port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind the Prometheus reporter to " + host + ":" + port + ": choose a free metrics.prometheus-port", e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("unexpected flink-metrics-prometheus version: no registry field", e);
            }
        }

        @Override
        public void close() {
            server.stop();
            super.close();
        }
    }
}
