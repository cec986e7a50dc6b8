package com.communitypulse.cli;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.flags.Flags;
import com.communitypulse.flags.UsageException;
import com.communitypulse.job.PulseJob;
import com.communitypulse.sentiment.SentimentCli;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code pulse} command: one entry point for the demo, the generator, file mode, a local
 * run against Kafka and the sentiment tools. Errors in flags or values print one line naming the
 * fix and exit with status 2; there are no stack traces for user mistakes.
 */
public final class PulseCli {
    static final String USAGE = String.join("\n",
            "Usage: pulse <command> [options]",
            "",
            "Commands:",
            "  demo        Start a Kafka broker, the generator and the job locally; print a live summary",
            "  generate    Generate events with planted ground truth (JSONL files or Kafka)",
            "  process     File mode: run the job over DIR/<topic>.jsonl, write OUT/<topic>.jsonl",
            "  run         Run the job on a local MiniCluster against an existing Kafka",
            "  cluster     Start a standalone Flink cluster here, submit the job to it, stop it (start | submit | stop)",
            "  sentiment   Score, evaluate or train the sentiment scorer (score | eval | train)",
            "  exporter    Serve pulse.metrics and pulse.alerts as Prometheus metrics (for Grafana)",
            "  dispatcher  Deliver pulse.alerts to moderators' webhooks (WeCom, DingTalk, Slack, signed JSON)",
            "  bench       Benchmark: drain rate vs a baseline job, alert/metric latency, file mode (docs/BENCHMARKS.md)",
            "  config      Print the effective job configuration for the given job options (secrets masked)",
            "",
            "Run 'pulse <command> --help' for the options of a command; 'pulse --version' for the version.");

    private PulseCli() {}

    public static void main(String[] args) {
        // Exit explicitly: a finished MiniCluster or Kafka client may leave non-daemon threads behind.
        System.exit(run(args, System.in, System.out, System.err));
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("--version") || args[0].equals("-V") || args[0].equals("version")) {
            out.println(versionLine());
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "demo": return Demo.run(rest, out, err);
                case "generate": return com.communitypulse.generator.GeneratorCli.run(rest, out, err);
                case "process": return process(rest, out, err);
                case "run": return runKafka(rest, out, err);
                case "cluster": return ClusterCli.run(rest, out, err);
                case "sentiment": return SentimentCli.run(rest, in, out, err);
                case "exporter": return com.communitypulse.connectors.exporter.ExporterMain.run(rest, out, err);
                case "dispatcher": return com.communitypulse.connectors.dispatcher.DispatcherMain.run(rest, out, err);
                case "bench": return com.communitypulse.bench.BenchCli.run(rest, out, err);
                case "config": return config(rest, out, System.getenv());
                default:
                    err.println("pulse: unknown command '" + args[0] + "': use one of demo, generate, process, run, cluster, sentiment, exporter, dispatcher, bench, config (see pulse --help)");
                    return 2;
            }
        } catch (UsageException e) {
            err.println("pulse " + args[0] + ": " + e.getMessage());
            return UsageException.EXIT_CODE;
        } catch (Exception e) {
            err.println("pulse " + args[0] + ": failed: " + rootMessage(e));
            return 1;
        }
    }

    static boolean wantsHelp(String[] args) {
        return Flags.wantsHelp(args);
    }

    private static int process(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (wantsHelp(args)) {
            out.println(String.join("\n",
                    "Usage: pulse process --input DIR --output DIR [job options]",
                    "",
                    "Runs the job's topology, bounded, over DIR/pulse.messages.jsonl, DIR/pulse.clicks.jsonl and",
                    "DIR/pulse.orders.jsonl (a missing file is an empty stream) and writes one JSON-lines file per",
                    "output topic (pulse.metrics.jsonl, pulse.dlq.jsonl, pulse.late.jsonl, ...) to the output DIR.",
                    "Job options are those of 'pulse config', e.g. --metrics.window 5m.",
                    "Member ids are pseudonymised: set --privacy.key-file FILE or PULSE_PRIVACY_KEY (or --privacy.pseudonymize false)."));
            return 0;
        }
        Map<String, String> extra = new HashMap<>();
        PulseConfig cfg = PulseConfig.fromArgs(List.of(args), System.getenv(), List.of("input", "output"), extra);
        if (!extra.containsKey("input") || !extra.containsKey("output")) {
            throw new UsageException("both --input DIR and --output DIR are required (see pulse process --help)");
        }
        cfg = localDefaults(cfg);
        long t0 = System.nanoTime();
        PulseJob.runFiles(cfg, Path.of(extra.get("input")), Path.of(extra.get("output")));
        out.printf("pulse process: done in %.1f s; outputs in %s%n", (System.nanoTime() - t0) / 1e9, extra.get("output"));
        return 0;
    }

    private static int runKafka(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (wantsHelp(args)) {
            out.println(String.join("\n",
                    "Usage: pulse run --bootstrap HOST:PORT [job options]",
                    "",
                    "Runs the job against an existing Kafka on a local MiniCluster with RocksDB, the Flink web UI",
                    "(http://127.0.0.1:8081 by default) and the Prometheus reporter (:9249). Ctrl-C stops it.",
                    "--bootstrap is short for --kafka.bootstrap-servers. Job options: see 'pulse config'.",
                    "Needs the pseudonymisation key (--privacy.key-file FILE or PULSE_PRIVACY_KEY); secure Kafka: --kafka.security.protocol",
                    "SASL_SSL with --kafka.sasl.* and --kafka.ssl.* (passwords from files or environment variables, never flags)."));
            return 0;
        }
        Map<String, String> extra = new HashMap<>();
        PulseConfig cfg = PulseConfig.fromArgs(List.of(args), System.getenv(), List.of("bootstrap"), extra);
        if (extra.containsKey("bootstrap")) {
            cfg = cfg.with(PulseConfig.BOOTSTRAP.key(), extra.get("bootstrap"));
        }
        var client = PulseJob.startLocalKafka(cfg, true);
        out.println("pulse run: job " + client.getJobID() + " running against " + cfg.get(PulseConfig.BOOTSTRAP)
                + "; web UI http://" + cfg.get(PulseConfig.BIND_HOST) + ":" + cfg.get(PulseConfig.WEB_PORT) + " (Ctrl-C stops)");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                client.cancel().get();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }));
        client.getJobExecutionResult().get();
        return 0;
    }

    static final String CONFIG_USAGE = String.join("\n",
            "Usage: pulse config [--markdown] [job options]",
            "",
            "Prints the job configuration a run with these options would use: every option as key = value,",
            "from the defaults, a properties file (--config FILE), PULSE_<KEY> environment variables and",
            "--key value / --key=value flags (in that order of precedence); values set by any of them are",
            "marked '# set'. Secrets are masked. Invalid or unknown options fail as they would for 'pulse run'.",
            "On a Flink cluster the cluster's own configuration decides the engine settings (checkpoint.*,",
            "savepoint.dir, state.timer-store) unless they are set here (docs/OPERATIONS.md).",
            "--markdown prints the table of all options and defaults (docs/CONFIGURATION.md).");

    /** The secrets a run reads, by the option naming their file and the variable that is the fallback. */
    private static final String[][] SECRETS = {
        {"privacy key", "privacy.key-file", "PULSE_PRIVACY_KEY"},
        {"kafka sasl password", "kafka.sasl.password-file", "PULSE_KAFKA_SASL_PASSWORD"},
        {"kafka truststore password", "kafka.ssl.truststore-password-file", "PULSE_KAFKA_SSL_TRUSTSTORE_PASSWORD"},
    };

    static int config(String[] args, PrintStream out, Map<String, String> env) {
        if (wantsHelp(args)) {
            out.println(CONFIG_USAGE);
            return 0;
        }
        List<String> rest = new java.util.ArrayList<>(Arrays.asList(args));
        boolean markdown = rest.remove("--markdown");
        if (markdown) {
            if (!rest.isEmpty()) {
                throw new UsageException("--markdown prints the defaults and takes no job options: drop " + rest.get(0) + " (see pulse config --help)");
            }
            out.print(PulseConfig.markdownTable());
            return 0;
        }
        PulseConfig cfg = PulseConfig.fromArgs(rest, env, List.of(), new HashMap<>());
        for (String line : cfg.describe().split("\n")) {
            String key = line.substring(0, line.indexOf(" = "));
            out.println(cfg.overrides().containsKey(key) ? line + "   # set" : line);
        }
        // Where each secret would come from, never its value.
        for (String[] sec : SECRETS) {
            String file = cfg.rawValue(sec[1]);
            String from = !file.isEmpty() ? "****** (file " + file + ")"
                    : env.get(sec[2]) != null && !env.get(sec[2]).isEmpty() ? "****** (environment " + sec[2] + ")" : "(not set)";
            out.println("# secret " + sec[0] + ": " + from);
        }
        return 0;
    }

    /** {@code community-pulse <version> (Flink ..., Kafka clients ..., Java ...)}. */
    static String versionLine() {
        return "community-pulse " + version() + " (Flink " + org.apache.flink.runtime.util.EnvironmentInformation.getVersion()
                + ", Kafka clients " + org.apache.kafka.common.utils.AppInfoParser.getVersion()
                + ", Java " + System.getProperty("java.version") + ")";
    }

    /**
     * The project version: the jar manifest's Implementation-Version when run from a jar, else the
     * Maven-filtered {@code pulse-version.properties} (the pulse script runs from target/classes).
     */
    static String version() {
        String v = PulseCli.class.getPackage() == null ? null : PulseCli.class.getPackage().getImplementationVersion();
        if (v != null && !v.isBlank()) return v;
        try (InputStream in = PulseCli.class.getResourceAsStream("/pulse-version.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String fromBuild = p.getProperty("version", "");
                if (!fromBuild.isBlank() && !fromBuild.startsWith("${")) return fromBuild;
            }
        } catch (java.io.IOException e) {
            // fall through: an unreadable resource is the same as none
        }
        return "unknown (not built by Maven)";
    }

    /** Local runs keep checkpoints under ./target unless told otherwise. */
    static PulseConfig localDefaults(PulseConfig cfg) {
        if (!cfg.overrides().containsKey(PulseConfig.CHECKPOINT_DIR.key())) {
            cfg = cfg.with(PulseConfig.CHECKPOINT_DIR.key(), Path.of("target", "pulse", "checkpoints").toAbsolutePath().toUri().toString());
        }
        if (!cfg.overrides().containsKey(PulseConfig.PROMETHEUS_PORT.key())) {
            cfg = cfg.with(PulseConfig.PROMETHEUS_PORT.key(), "0");
        }
        return cfg;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).split("\n")[0];
    }
}
