package com.communitypulse.connectors.exporter;

import com.communitypulse.launcher.ChildProcess;
import com.communitypulse.launcher.Dirs;
import com.communitypulse.launcher.Ports;
import com.communitypulse.launcher.Readiness;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Prometheus-family server binary ({@code prometheus}, {@code alertmanager}) run as a child
 * process: its own temporary data directory, the web endpoint on {@code 127.0.0.1:port}, ready once
 * {@code /-/ready} answers 200, stopped (SIGTERM, SIGKILL after 10 s) and its directory deleted on
 * close. {@link PrometheusLauncher} and {@link AlertmanagerLauncher} differ only in their flags.
 */
abstract class LocalServer implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** What differs between the servers. */
    interface Flags {
        List<String> of(Path config, Path dataDir, int port);
    }

    /**
     * @param name       e.g. {@code "Prometheus"} (config error) — the process name in messages is its lower case
     * @param installHint the one-line fix when the binary is missing
     */
    record Kind(String name, String installHint, Duration readyTimeout, Flags flags) {
    }

    private final ChildProcess process;
    private final int port;
    private final Path dataDir;

    LocalServer(Started s) {
        this.process = s.process();
        this.port = s.port();
        this.dataDir = s.dataDir();
    }

    record Started(ChildProcess process, int port, Path dataDir) {
    }

    /**
     * Starts {@code binary} with {@code config} on {@code 127.0.0.1:port} (0 = a free port) and waits
     * until it reports ready; on failure it is stopped, and the IOException carries the end of its log.
     */
    static Started launch(Kind kind, Optional<Path> binary, Path config, int port) throws IOException {
        Path bin = binary.orElseThrow(() -> new IOException(kind.installHint()));
        if (!Files.isRegularFile(config)) {
            throw new IOException(kind.name() + " config not found: " + config);
        }
        int p = port == 0 ? Ports.free() : port;
        String process = kind.name().toLowerCase();
        Path dir = Files.createTempDirectory("pulse-" + process + "-");
        ChildProcess proc;
        try {
            proc = ChildProcess.binary(bin).args(kind.flags().of(config.toAbsolutePath(), dir, p))
                    .log(dir.resolve(process + ".log")).name(process).stopGrace(STOP_GRACE).start();
        } catch (UncheckedIOException e) {
            Dirs.deleteQuietly(dir);
            throw e.getCause();
        }
        try {
            proc.awaitReady(Readiness.httpOk("http://127.0.0.1:" + p + "/-/ready"), kind.readyTimeout());
        } catch (RuntimeException e) {
            String log = proc.logTail(20);
            proc.close();
            Dirs.deleteQuietly(dir);
            throw new IOException(e.getMessage() + "; log:\n" + (log.isEmpty() ? "(no log)" : log), e);
        }
        return new Started(proc, p, dir);
    }

    /** An executable named {@code name} on {@code PATH}, if any. */
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

    public int port() {
        return port;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9090}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path logFile() {
        return process.logFile();
    }

    /** The last lines of the server's log (for error messages). */
    public String logTail() {
        String tail = process.logTail(20);
        return tail.isEmpty() ? "(no log)" : tail;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and deletes its data directory. */
    @Override
    public void close() {
        process.close();
        Dirs.deleteQuietly(dataDir);
    }
}
