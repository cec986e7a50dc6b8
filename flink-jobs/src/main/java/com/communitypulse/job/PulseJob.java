package com.communitypulse.job;

import com.communitypulse.flags.UsageException;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.filemode.FileSources;
import com.communitypulse.filemode.JsonLinesSink;
import com.communitypulse.kafka.KafkaSinks;
import com.communitypulse.kafka.KafkaSources;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The community-pulse job. {@code main} is what {@code flink run} calls with {@code --key value}
 * options (see {@link PulseConfig}); it only parses configuration, wires Kafka sources and sinks
 * around {@link PulseTopology#build} and executes.
 *
 * <h2>How to run</h2>
 * <pre>
 * flink run -c com.communitypulse.job.PulseJob flink-jobs/target/pulse-flink-jobs-*-job.jar \
 *     --kafka.bootstrap-servers broker:9092 --checkpoint.dir s3://bucket/pulse/checkpoints
 * </pre>
 */
public final class PulseJob {
    public static final String JOB_NAME = "community-pulse";

    private PulseJob() {}

    public static void main(String[] args) throws Exception {
        PulseConfig cfg;
        try {
            cfg = PulseConfig.fromArgs(List.of(args), System.getenv(), List.of(), new java.util.HashMap<>());
            preflight(cfg);
        } catch (UsageException e) {
            // No System.exit: on a cluster this main runs inside the JobManager (REST submission),
            // and exiting would take the JobManager down. The message reaches the submitter as the
            // failure of the submission.
            System.err.println("community-pulse: " + e.getMessage());
            throw e;
        }
        StreamExecutionEnvironment env = PulseEnvironment.create(cfg,
                cfg.get(PulseConfig.BOUNDED) ? PulseEnvironment.Mode.BOUNDED : PulseEnvironment.Mode.STREAMING);
        buildKafka(env, cfg);
        env.execute(JOB_NAME);
    }

    /**
     * Fails fast, with one line naming the fix, when the pseudonymisation key or a Kafka secret is
     * missing — before any client or operator starts.
     */
    public static void checkSecrets(PulseConfig cfg) {
        com.communitypulse.privacy.PrivacyKeys.pseudonymizer(cfg, System.getenv());
        com.communitypulse.kafka.KafkaConnections.security(cfg, System.getenv());
    }

    /** {@link #checkSecrets} plus one connection with the job's Kafka settings (wrong credentials fail here, in one line). */
    public static void preflight(PulseConfig cfg) {
        checkSecrets(cfg);
        com.communitypulse.kafka.KafkaPreflight.check(cfg, System.getenv(), 20_000);
    }

    /** Kafka sources → topology → Kafka sinks on {@code env}. */
    public static void buildKafka(StreamExecutionEnvironment env, PulseConfig cfg) {
        PulseOutputs out = PulseTopology.build(KafkaSources.create(env, cfg), cfg);
        PulseSinks.attach(out, new KafkaSinks(cfg));
    }

    /** File mode: the same topology, bounded, over {@code input/<topic>.jsonl}, writing {@code output/<topic>.jsonl}. */
    public static JobExecutionResult runFiles(PulseConfig cfg, Path input, Path output) throws Exception {
        // File mode shows no web UI: its MiniCluster's REST endpoint takes any free port, so a file run
        // never collides with a running job, the demo or another file run on web.port.
        StreamExecutionEnvironment env = PulseEnvironment.create(cfg.with(PulseConfig.WEB_PORT.key(), "0"), PulseEnvironment.Mode.BOUNDED);
        PulseOutputs out = PulseTopology.build(FileSources.create(env, cfg, input), cfg);
        PulseSinks.attach(out, JsonLinesSink.factory(cfg, output));
        return env.execute(JOB_NAME + " (file mode)");
    }

    /** Starts the Kafka job on a local MiniCluster (with the web UI when asked) and returns its client. */
    public static JobClient startLocalKafka(PulseConfig cfg, boolean webUi) throws Exception {
        preflight(cfg);
        PulseEnvironment.Mode mode = cfg.get(PulseConfig.BOUNDED) ? PulseEnvironment.Mode.BOUNDED : PulseEnvironment.Mode.STREAMING;
        if (webUi) checkWebPortFree(cfg);
        StreamExecutionEnvironment env = webUi ? PulseEnvironment.createLocalWithWebUi(cfg, mode) : PulseEnvironment.create(cfg, mode);
        buildKafka(env, cfg);
        return env.executeAsync(JOB_NAME);
    }

    /** A taken web port would otherwise fail deep inside the MiniCluster's start with a stack trace. */
    static void checkWebPortFree(PulseConfig cfg) {
        int port = cfg.get(PulseConfig.WEB_PORT);
        if (port == 0) return;
        String host = cfg.get(PulseConfig.BIND_HOST);
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.io.IOException e) {
            throw new com.communitypulse.flags.UsageException("web.port " + port + " on " + host
                    + " is in use (another pulse run, the demo or a Flink cluster?): stop it or pass --web.port 0 (any free port) or another port");
        }
    }
}
