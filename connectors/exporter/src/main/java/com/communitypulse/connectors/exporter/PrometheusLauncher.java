package com.communitypulse.connectors.exporter;

import com.communitypulse.launcher.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs a local Prometheus server (the {@code prometheus} binary on {@code PATH}, e.g. Debian's
 * package) as a child process with a given config, its own temporary data directory and the web
 * endpoint on {@code 127.0.0.1:port}. Used by the demo and the tests; nothing is installed here.
 *
 * <pre>
 * if (PrometheusLauncher.binary().isPresent()) {
 *     try (PrometheusLauncher p = PrometheusLauncher.start(Path.of("dashboards/prometheus/prometheus.yml"), 9090)) {
 *         System.out.println(p.url());   // http://127.0.0.1:9090
 *     }
 * }
 * </pre>
 */
public final class PrometheusLauncher extends LocalServer {
    private static final Kind KIND = new Kind("Prometheus", "prometheus not found on PATH (Debian/Ubuntu: apt-get install prometheus)",
            Duration.ofSeconds(60), (config, dir, port) -> List.of(
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--storage.tsdb.retention.time=1d",
                    "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-lifecycle"));

    private PrometheusLauncher(Started started) {
        super(started);
    }

    /** The {@code prometheus} executable on {@code PATH}, if any. */
    public static Optional<Path> binary() {
        return onPath("prometheus");
    }

    /** The {@code promtool} executable on {@code PATH}, if any. */
    public static Optional<Path> promtool() {
        return onPath("promtool");
    }

    /**
     * Starts Prometheus with {@code configPath} on {@code 127.0.0.1:port} (0 = a free port) and
     * waits until it reports ready. Rule files in the config are resolved relative to the config
     * file's directory, as Prometheus does.
     *
     * @throws IOException if the binary is missing, or the server exits or is not ready within 60 s
     *     (the message carries the end of its log)
     */
    public static PrometheusLauncher start(Path configPath, int port) throws IOException {
        return new PrometheusLauncher(launch(KIND, binary(), configPath, port));
    }

    /**
     * Writes a Prometheus config for local runs (demo): the job names of
     * {@code dashboards/prometheus/prometheus.yml} ({@code flink}, {@code pulse-exporter}) with
     * local targets, a 5 s scrape interval and the given rule file, so that the repository's
     * dashboards and rules apply unchanged.
     *
     * @param targetsByJob e.g. {@code {"flink": "127.0.0.1:9249", "pulse-exporter": "127.0.0.1:9464"}}
     */
    public static Path writeLocalConfig(Path file, Path rulesFile, java.util.Map<String, String> targetsByJob) throws IOException {
        return writeLocalConfig(file, rulesFile, targetsByJob, null);
    }

    /**
     * As {@link #writeLocalConfig(Path, Path, java.util.Map)}, and sends firing alerts to the
     * Alertmanager at {@code alertmanager} ({@code host:port}, e.g. {@link AlertmanagerLauncher#target()};
     * null = no {@code alerting:} block).
     */
    public static Path writeLocalConfig(Path file, Path rulesFile, java.util.Map<String, String> targetsByJob, String alertmanager)
            throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# Written by PrometheusLauncher for a local run; job names as in dashboards/prometheus/prometheus.yml.\n");
        b.append("global:\n  scrape_interval: 5s\n  evaluation_interval: 5s\n");
        if (rulesFile != null) {
            b.append("rule_files:\n  - \"").append(rulesFile.toAbsolutePath()).append("\"\n");
        }
        if (alertmanager != null) {
            b.append("alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [\"").append(alertmanager).append("\"]\n");
        }
        b.append("scrape_configs:\n");
        for (java.util.Map.Entry<String, String> e : targetsByJob.entrySet()) {
            b.append("  - job_name: \"").append(e.getKey()).append("\"\n    static_configs:\n      - targets: [\"")
                    .append(e.getValue()).append("\"]\n");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, b.toString());
        return file;
    }

    /** A free loopback port; kept for callers of this class, see {@link Ports#free()}. */
    public static int freePort() throws IOException {
        try {
            return Ports.free();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
