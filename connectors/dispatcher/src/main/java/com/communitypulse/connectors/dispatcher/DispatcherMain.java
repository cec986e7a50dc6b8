package com.communitypulse.connectors.dispatcher;

import com.communitypulse.connectors.dispatcher.config.ConfigLoader;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import com.communitypulse.flags.Flags;
import com.communitypulse.flags.Option;
import com.communitypulse.flags.UsageException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Command line of the alert dispatcher (later {@code pulse dispatcher}). {@link #run} returns the exit
 * code: 0 after a clean stop (SIGTERM/Ctrl-C) or a successful {@code --check}, 2 for a usage or
 * configuration error, 1 when the running dispatcher fails. Errors are one line naming the fix.
 */
public final class DispatcherMain {

    static final String USAGE = String.join("\n",
            "Usage: pulse dispatcher --config FILE [options]",
            "",
            "Delivers pulse.alerts to moderators' chat tools (signed webhook, WeCom, DingTalk, Slack):",
            "routed per community, rate-limited with digests, retried, de-duplicated, never lost.",
            "",
            "Options:",
            "  --config FILE                    dispatcher config (YAML or JSON; format in the module README)",
            "  --kafka.bootstrap-servers HOSTS  override kafka.bootstrap_servers (--bootstrap-servers: deprecated alias)",
            "  --kafka.group-id ID              override kafka.group_id (--group-id: deprecated alias)",
            "  --metrics-host HOST              override metrics.host (default 127.0.0.1)",
            "  --metrics-port PORT              override metrics.port (0 = any free port)",
            "  --check                          validate config and secrets, print it masked, and exit",
            "  --help                           show this help",
            "",
            "Every option also takes the --option=value form, as in every other pulse command.",
            "",
            "Secrets: write ${env:NAME} or ${secret:KEY} (with secrets_file: FILE) for URLs and keys;",
            "they are never printed. Exit codes: 0 stopped cleanly, 1 failed while running, 2 bad flags/config.");

    private DispatcherMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System::getenv);
    }

    static final Option<String> CONFIG = Option.string("config", "", "dispatcher config (YAML or JSON)");
    static final Option<String> BOOTSTRAP = Option.string("kafka.bootstrap-servers", "", "override kafka.bootstrap_servers");
    static final Option<String> BOOTSTRAP_DEPRECATED = Option.string("bootstrap-servers", "", "deprecated alias of --kafka.bootstrap-servers");
    static final Option<String> GROUP = Option.string("kafka.group-id", "", "override kafka.group_id");
    static final Option<String> GROUP_DEPRECATED = Option.string("group-id", "", "deprecated alias of --kafka.group-id");
    static final Option<String> METRICS_HOST = Option.string("metrics-host", "", "override metrics.host");
    static final Option<Integer> METRICS_PORT = Option.of("metrics-port", "", "override metrics.port", v -> {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--metrics-port '" + v + "' is not a number: give a port such as 9465");
        }
    });
    static final Option<Boolean> CHECK = Option.flag("check", "validate config and secrets, print it masked, and exit");

    private static final Flags FLAGS = Flags.of(CONFIG, BOOTSTRAP, BOOTSTRAP_DEPRECATED, GROUP, GROUP_DEPRECATED, METRICS_HOST, METRICS_PORT, CHECK);

    static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
        try {
            Flags.Parsed f = FLAGS.parse(args);
            if (f.help()) {
                out.println(USAGE);
                return 0;
            }
            // --flag=value and --flag value alike, as the job's own options (docs/CLI.md); an empty value is none.
            for (var e : f.values().entrySet()) {
                if (e.getValue().isEmpty()) {
                    throw Flags.needsValue("--" + e.getKey());
                }
            }
            for (Option<String> old : java.util.List.of(BOOTSTRAP_DEPRECATED, GROUP_DEPRECATED)) {
                if (f.has(old)) {
                    err.println("pulse dispatcher: " + old.flagName() + " is deprecated: use " + (old == GROUP_DEPRECATED ? GROUP : BOOTSTRAP).flagName());
                }
            }
            String config = f.has(CONFIG) ? f.get(CONFIG) : null;
            String bootstrap = f.has(BOOTSTRAP) ? f.get(BOOTSTRAP) : f.has(BOOTSTRAP_DEPRECATED) ? f.get(BOOTSTRAP_DEPRECATED) : null;
            String group = f.has(GROUP) ? f.get(GROUP) : f.has(GROUP_DEPRECATED) ? f.get(GROUP_DEPRECATED) : null;
            String metricsHost = f.has(METRICS_HOST) ? f.get(METRICS_HOST) : null;
            Integer metricsPort = f.has(METRICS_PORT) ? f.get(METRICS_PORT) : null;
            boolean check = f.has(CHECK);
            if (config == null) {
                throw new UsageException("--config FILE is required: pass the path of your dispatcher.yaml (see --help)");
            }
            DispatcherConfig cfg = ConfigLoader.load(Path.of(config));
            if (bootstrap != null) {
                cfg.kafka.bootstrapServers = bootstrap;
            }
            if (group != null) {
                cfg.kafka.groupId = group;
            }
            if (metricsHost != null) {
                cfg.metrics.host = metricsHost;
            }
            if (metricsPort != null) {
                cfg.metrics.port = metricsPort;
            }
            cfg.validate();
            SecretResolver secrets = new SecretResolver(env, cfg.secretsFile == null ? null : Path.of(cfg.secretsFile));
            AlertDispatcher d = new AlertDispatcher(cfg, secrets, new PrometheusRegistry());
            if (check) {
                out.print(ConfigLoader.describeMasked(cfg));
                out.println("config OK: " + cfg.channels.size() + " channel(s), secrets resolved");
                d.close();
                return 0;
            }
            return serve(d, cfg, out, err);
        } catch (UsageException e) {
            err.println("pulse dispatcher: " + e.getMessage());
            return UsageException.EXIT_CODE;
        }
    }

    private static int serve(AlertDispatcher d, DispatcherConfig cfg, PrintStream out, PrintStream err) {
        try {
            d.start();
        } catch (UncheckedIOException | IllegalStateException | org.apache.kafka.common.KafkaException e) {
            d.close();
            err.println("pulse dispatcher: cannot start: " + oneLine(e));
            return e instanceof UncheckedIOException ? 2 : 1;
        }
        Thread hook = new Thread(d::close, "dispatcher-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("pulse dispatcher: consuming " + cfg.kafka.alertsTopic + " as group " + cfg.kafka.groupId
                + "; channels " + cfg.channels.keySet()
                + (d.metricsPort() > 0 ? "; metrics http://" + cfg.metrics.host + ":" + d.metricsPort() + "/metrics" : ""));
        try {
            Throwable failure = d.awaitStopped();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Stopped by a signal: the hook is running.
            }
            if (failure != null) {
                err.println("pulse dispatcher: stopped after an error: " + oneLine(failure));
                return 1;
            }
            out.println("pulse dispatcher: stopped");
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            d.close();
            return 1;
        }
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.split("\n")[0];
    }
}
