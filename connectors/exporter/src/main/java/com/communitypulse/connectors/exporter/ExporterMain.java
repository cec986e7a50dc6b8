package com.communitypulse.connectors.exporter;

import com.communitypulse.flags.Flags;
import com.communitypulse.flags.Option;
import com.communitypulse.flags.UsageException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pulse exporter}: serves {@code pulse.metrics} and {@code pulse.alerts} as Prometheus
 * metrics until the process is stopped (Ctrl-C / SIGTERM).
 *
 * <h2>How to run</h2>
 * <pre>
 * pulse exporter --kafka.bootstrap-servers 127.0.0.1:9092 --port 9464
 * curl -s http://127.0.0.1:9464/metrics | grep pulse_rolling_dau
 * # pulse_rolling_dau{community="*"} 1234.0
 * # pulse_rolling_dau{community="c7"} 210.0
 * # pulse_rolling_dau{community="other"} 850.0
 * </pre>
 */
public final class ExporterMain {
    private ExporterMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs until the JVM shuts down; returns 0, or 2 on a configuration error (one line on {@code err}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (Flags.wantsHelp(args)) {
            out.println(usage());
            return 0;
        }
        ExporterConfig cfg;
        try {
            cfg = ExporterConfig.parse(List.of(args), System.getenv());
        } catch (UsageException e) {
            err.println("pulse exporter: " + e.getMessage());
            return UsageException.EXIT_CODE;
        }
        Exporter exporter;
        try {
            exporter = Exporter.start(cfg);
        } catch (Exception e) {
            err.println("pulse exporter: cannot serve on " + cfg.get(ExporterConfig.BIND_HOST) + ":" + cfg.get(ExporterConfig.PORT) + ": " + rootMessage(e));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            exporter.close();
            stopped.countDown();
        }, "pulse-exporter-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("pulse exporter: serving %s ; reading %s and %s from %s (read_committed, from %s)%n", exporter.url(),
                cfg.get(ExporterConfig.TOPIC_METRICS), cfg.get(ExporterConfig.TOPIC_ALERTS), cfg.get(ExporterConfig.BOOTSTRAP),
                cfg.get(ExporterConfig.FROM));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exporter.close();
        }
        return 0;
    }

    static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("Usage: pulse exporter [--key value ...]\n\n");
        b.append("Reads the job's metric and alert topics (read_committed) and serves them as Prometheus metrics on\n");
        b.append("http://BIND-HOST:PORT/metrics: per-community window and rolling gauges (top-N communities by DAU,\n");
        b.append("the rest as community=\"other\", the global total as community=\"*\"), alert counters by type, severity\n");
        b.append("and community, and data freshness per input. Stops on Ctrl-C.\n\nOptions (environment: PULSE_<KEY>):\n");
        for (Option<String> o : ExporterConfig.ALL) {
            b.append(String.format("  --%-24s %s (default: %s)%n", o.key(), o.description(), o.defaultValue()));
        }
        return b.toString().stripTrailing();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
