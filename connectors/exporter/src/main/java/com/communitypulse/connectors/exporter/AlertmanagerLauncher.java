package com.communitypulse.connectors.exporter;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a local Alertmanager (Debian's {@code prometheus-alertmanager}, or {@code alertmanager} on
 * {@code PATH}) as a child process with a given config, its own temporary storage directory, the
 * web endpoint on {@code 127.0.0.1:port} and clustering off (no gossip port is opened). The
 * counterpart of {@link PrometheusLauncher} for the tests: Prometheus started with
 * {@link PrometheusLauncher#writeLocalConfig(Path, Path, java.util.Map, String)} sends its alerts
 * here, and {@code url() + "/api/v2/alerts"} lists what arrived.
 */
public final class AlertmanagerLauncher implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path dataDir;

    private AlertmanagerLauncher(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** The Alertmanager executable on {@code PATH} ({@code prometheus-alertmanager} as Debian names it, else {@code alertmanager}). */
    public static Optional<Path> binary() {
        return PrometheusLauncher.onPath("prometheus-alertmanager").or(() -> PrometheusLauncher.onPath("alertmanager"));
    }

    /** The {@code amtool} executable on {@code PATH}, if any (config checks). */
    public static Optional<Path> amtool() {
        return PrometheusLauncher.onPath("amtool");
    }

    /**
     * Starts Alertmanager with {@code configPath} on {@code 127.0.0.1:port} (0 = a free port) and
     * waits until it reports ready.
     *
     * @throws IOException if the binary or config is missing, or the server exits or is not ready
     *     within 30 s (the message carries the end of its log)
     */
    public static AlertmanagerLauncher start(Path configPath, int port) throws IOException {
        Path bin = binary().orElseThrow(() -> new IOException(
                "Alertmanager not found on PATH (Debian/Ubuntu: apt-get install prometheus-alertmanager)"));
        if (!Files.isRegularFile(configPath)) {
            throw new IOException("Alertmanager config not found: " + configPath);
        }
        int p = port == 0 ? PrometheusLauncher.freePort() : port;
        Path dir = Files.createTempDirectory("pulse-alertmanager-");
        List<String> cmd = List.of(bin.toString(),
                "--config.file=" + configPath.toAbsolutePath(),
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + p,
                // An empty address disables the cluster (gossip) listener, which would bind 0.0.0.0:9094.
                "--cluster.listen-address=");
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        AlertmanagerLauncher launcher = new AlertmanagerLauncher(proc, p, dir);
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
                throw new IOException("alertmanager exited with code " + process.exitValue());
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
                throw new IOException("interrupted while waiting for alertmanager");
            }
        }
        throw new IOException("alertmanager not ready on " + url() + " within " + READY_TIMEOUT.toSeconds() + " s");
    }

    public int port() {
        return port;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9093}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code host:port} as a Prometheus {@code alerting.alertmanagers} target. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    public Path logFile() {
        return dataDir.resolve("alertmanager.log");
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

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and deletes its storage directory. */
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
}
