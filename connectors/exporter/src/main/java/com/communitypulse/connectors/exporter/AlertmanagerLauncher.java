package com.communitypulse.connectors.exporter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs a local Alertmanager (Debian's {@code prometheus-alertmanager}, or {@code alertmanager} on
 * {@code PATH}) as a child process with a given config, its own temporary storage directory, the
 * web endpoint on {@code 127.0.0.1:port} and clustering off (no gossip port is opened). The
 * counterpart of {@link PrometheusLauncher} for the tests: Prometheus started with
 * {@link PrometheusLauncher#writeLocalConfig(Path, Path, java.util.Map, String)} sends its alerts
 * here, and {@code url() + "/api/v2/alerts"} lists what arrived.
 */
public final class AlertmanagerLauncher extends LocalServer {
    private static final Kind KIND = new Kind("Alertmanager",
            "Alertmanager not found on PATH (Debian/Ubuntu: apt-get install prometheus-alertmanager)",
            Duration.ofSeconds(30), (config, dir, port) -> List.of(
                    "--config.file=" + config,
                    "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    // An empty address disables the cluster (gossip) listener, which would bind 0.0.0.0:9094.
                    "--cluster.listen-address="));

    private AlertmanagerLauncher(Started started) {
        super(started);
    }

    /** The Alertmanager executable on {@code PATH} ({@code prometheus-alertmanager} as Debian names it, else {@code alertmanager}). */
    public static Optional<Path> binary() {
        return onPath("prometheus-alertmanager").or(() -> onPath("alertmanager"));
    }

    /** The {@code amtool} executable on {@code PATH}, if any (config checks). */
    public static Optional<Path> amtool() {
        return onPath("amtool");
    }

    /**
     * Starts Alertmanager with {@code configPath} on {@code 127.0.0.1:port} (0 = a free port) and
     * waits until it reports ready.
     *
     * @throws IOException if the binary or config is missing, or the server exits or is not ready
     *     within 30 s (the message carries the end of its log)
     */
    public static AlertmanagerLauncher start(Path configPath, int port) throws IOException {
        return new AlertmanagerLauncher(launch(KIND, binary(), configPath, port));
    }

    /** {@code host:port} as a Prometheus {@code alerting.alertmanagers} target. */
    public String target() {
        return "127.0.0.1:" + port();
    }
}
