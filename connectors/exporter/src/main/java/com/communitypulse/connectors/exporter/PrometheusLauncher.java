package com.communitypulse.connectors.exporter;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
public final class PrometheusLauncher implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path dataDir;

    private PrometheusLauncher(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** The {@code prometheus} executable on {@code PATH}, if any. */
    public static Optional<Path> binary() {
        return onPath("prometheus");
    }

    /** The {@code promtool} executable on {@code PATH}, if any. */
    public static Optional<Path> promtool() {
        return onPath("promtool");
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
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
        Path bin = binary().orElseThrow(() -> new IOException("prometheus not found on PATH (Debian/Ubuntu: apt-get install prometheus)"));
        if (!Files.isRegularFile(configPath)) {
            throw new IOException("Prometheus config not found: " + configPath);
        }
        int p = port == 0 ? freePort() : port;
        Path dir = Files.createTempDirectory("pulse-prometheus-");
        List<String> cmd = new ArrayList<>(List.of(bin.toString(),
                "--config.file=" + configPath.toAbsolutePath(),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--storage.tsdb.retention.time=1d",
                "--web.listen-address=127.0.0.1:" + p,
                "--web.enable-lifecycle"));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusLauncher launcher = new PrometheusLauncher(proc, p, dir);
        try {
            launcher.awaitReady();
        } catch (IOException | RuntimeException e) {
            String log = launcher.logTail();
            launcher.close();
            throw new IOException(e.getMessage() + "; log:\n" + log, e);
        }
        return launcher;
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with code " + process.exitValue());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/-/ready").toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(1000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for prometheus");
            }
        }
        throw new IOException("prometheus not ready on " + url() + " within " + READY_TIMEOUT.toSeconds() + " s");
    }

    public int port() {
        return port;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9090}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path logFile() {
        return dataDir.resolve("prometheus.log");
    }

    /** The last lines of the server's log (for error messages). */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and deletes its data directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(dataDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
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

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
