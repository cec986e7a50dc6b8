package com.communitypulse.connectors.dispatcher;

import com.communitypulse.connectors.dispatcher.config.ConfigException;
import com.communitypulse.connectors.dispatcher.config.ConfigLoader;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
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

    static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
        String config = null;
        String bootstrap = null;
        String group = null;
        String metricsHost = null;
        Integer metricsPort = null;
        boolean check = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                // --flag=value and --flag value alike, as the job's own options (docs/CLI.md).
                String inline = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 2) {
                    inline = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                switch (a) {
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--check" -> {
                        if (inline != null) throw new ConfigException("--check takes no value: pass --check alone");
                        check = true;
                    }
                    case "--config" -> config = inline != null ? nonEmpty(inline, a) : value(args, ++i, a);
                    case "--kafka.bootstrap-servers" -> bootstrap = inline != null ? nonEmpty(inline, a) : value(args, ++i, a);
                    case "--bootstrap-servers" -> {
                        err.println("pulse dispatcher: --bootstrap-servers is deprecated: use --kafka.bootstrap-servers");
                        bootstrap = inline != null ? nonEmpty(inline, a) : value(args, ++i, a);
                    }
                    case "--kafka.group-id" -> group = inline != null ? nonEmpty(inline, a) : value(args, ++i, a);
                    case "--group-id" -> {
                        err.println("pulse dispatcher: --group-id is deprecated: use --kafka.group-id");
                        group = inline != null ? nonEmpty(inline, a) : value(args, ++i, a);
                    }
                    case "--metrics-host" -> metricsHost = inline != null ? nonEmpty(inline, a) : value(args, ++i, a);
                    case "--metrics-port" -> {
                        String v = inline != null ? nonEmpty(inline, a) : value(args, ++i, a);
                        try {
                            metricsPort = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            throw new ConfigException("--metrics-port '" + v + "' is not a number: give a port such as 9465");
                        }
                    }
                    default -> throw new ConfigException("unknown option '" + a + "': see --help");
                }
            }
            if (config == null) {
                throw new ConfigException("--config FILE is required: pass the path of your dispatcher.yaml (see --help)");
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
        } catch (ConfigException e) {
            err.println("pulse dispatcher: " + e.getMessage());
            return 2;
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

    private static String nonEmpty(String v, String flag) {
        if (v.isEmpty()) {
            throw new ConfigException(flag + " needs a value: " + flag + "=VALUE or " + flag + " VALUE");
        }
        return v;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new ConfigException(flag + " needs a value: see --help");
        }
        return args[i];
    }
}
