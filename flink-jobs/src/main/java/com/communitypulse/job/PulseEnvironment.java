package com.communitypulse.job;

import com.communitypulse.flags.UsageException;
import com.communitypulse.flags.Option;
import com.communitypulse.config.PulseConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink configuration of every run, in one place, in three groups (docs/OPERATIONS.md,
 * "Where settings come from"):
 *
 * <ul>
 *   <li><b>engine defaults</b> — RocksDB with incremental checkpoints and bloom filters,
 *       exactly-once unaligned checkpoints retained on cancellation, exponential-delay restarts,
 *       local recovery. On a cluster (under {@code flink run}, a REST submission or the Kubernetes
 *       operator) the cluster's configuration wins: a default is applied only where the cluster
 *       sets nothing, and only a job option the user set explicitly (e.g. {@code --checkpoint.dir})
 *       overrides the cluster. A local MiniCluster (run, process, demo, bench) gets them all.</li>
 *   <li><b>job semantics</b> — max parallelism (part of every savepoint), no Kryo fallback,
 *       parallelism, the job name: always the job's.</li>
 *   <li><b>local only</b> — MiniCluster memory, web UI and Prometheus reporter: a cluster has its own.</li>
 * </ul>
 *
 * <p>A cluster with {@code execution.program-config.enabled: false} refuses any setting from the
 * job (except keys listed in {@code execution.program-config.wildcards}); there the job adds
 * nothing at all and an explicit engine option is a one-line error naming the cluster key to set.
 */
public final class PulseEnvironment {
    private PulseEnvironment() {}

    /** Mode of a run: a streaming job, or a bounded replay (file mode, bounded Kafka). */
    public enum Mode { STREAMING, BOUNDED }

    /** One Flink setting the job has a default for, and the job option (if any) a user sets it with. */
    record Setting(ConfigOption<?> flinkOption, String value, Option<?> jobOption) {
        String key() {
            return flinkOption.key();
        }

        /** Set by the user (flag, {@code --config} file or {@code PULSE_*} variable), not just defaulted. */
        boolean explicit(PulseConfig cfg) {
            return jobOption != null && cfg.overrides().containsKey(jobOption.key());
        }
    }

    private static ConfigOption<String> key(String k) {
        return ConfigOptions.key(k).stringType().noDefaultValue();
    }

    /** Engine settings: the cluster's own configuration wins over these unless the user set the job option. */
    static List<Setting> engineDefaults(PulseConfig cfg, Duration interval) {
        List<Setting> s = new ArrayList<>();
        s.add(new Setting(StateBackendOptions.STATE_BACKEND, "rocksdb", null));
        // Timers: RocksDB-backed by default (incremental like all other state); heap timers are
        // written whole into every checkpoint (docs/BENCHMARKS.md).
        s.add(new Setting(key("state.backend.rocksdb.timer-service.factory"), cfg.get(PulseConfig.TIMER_STORE).toUpperCase(Locale.ROOT),
                PulseConfig.TIMER_STORE));
        // Bloom filters: most reads are point lookups of one member's or community's key; without
        // a filter each lookup that misses the memtable probes (and decompresses) a block of every
        // level-0 file. Measured: RocksDB get was 36% of the job's CPU without (docs/BENCHMARKS.md).
        s.add(new Setting(key("state.backend.rocksdb.use-bloom-filter"), "true", null));
        s.add(new Setting(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, "true", null));
        s.add(new Setting(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cfg.get(PulseConfig.CHECKPOINT_DIR), PulseConfig.CHECKPOINT_DIR));
        s.add(new Setting(CheckpointingOptions.SAVEPOINT_DIRECTORY, cfg.get(PulseConfig.SAVEPOINT_DIR), PulseConfig.SAVEPOINT_DIR));
        s.add(new Setting(CheckpointingOptions.CHECKPOINTING_INTERVAL, cfg.millis(PulseConfig.CHECKPOINT_INTERVAL) + " ms", PulseConfig.CHECKPOINT_INTERVAL));
        s.add(new Setting(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, "EXACTLY_ONCE", null));
        s.add(new Setting(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, "RETAIN_ON_CANCELLATION", null));
        s.add(new Setting(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, Integer.toString(cfg.get(PulseConfig.CHECKPOINTS_RETAINED)),
                PulseConfig.CHECKPOINTS_RETAINED));
        // From the interval in effect (the cluster's, when it sets one).
        s.add(new Setting(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Math.min(1000, interval.toMillis() / 2) + " ms", null));
        s.add(new Setting(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, "3", null));
        // Under back-pressure aligned barriers queue behind the buffered records; unaligned ones overtake
        // them (still exactly-once). Measured at 1M members (docs/BENCHMARKS.md): every checkpoint of a
        // back-pressured job waited out the whole aligned timeout first, ~1 s of its ~2.9 s.
        s.add(new Setting(CheckpointingOptions.ENABLE_UNALIGNED, Boolean.toString(cfg.get(PulseConfig.CHECKPOINT_UNALIGNED)),
                PulseConfig.CHECKPOINT_UNALIGNED));
        if (cfg.get(PulseConfig.CHECKPOINT_UNALIGNED)) {
            s.add(new Setting(CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT, cfg.get(PulseConfig.CHECKPOINT_ALIGNED_TIMEOUT).toMillis() + " ms",
                    PulseConfig.CHECKPOINT_ALIGNED_TIMEOUT));
        }
        s.add(new Setting(StateRecoveryOptions.LOCAL_RECOVERY, "true", null));
        s.add(new Setting(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay", null));
        s.add(new Setting(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, "1 s", null));
        s.add(new Setting(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, "30 s", null));
        s.add(new Setting(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, "20", null));
        return s;
    }

    /** The job's own semantics: applied on every run. */
    static List<Setting> jobSettings(PulseConfig cfg, Mode mode) {
        List<Setting> s = new ArrayList<>();
        s.add(new Setting(PipelineOptions.GENERIC_TYPES, "false", null));
        // Chained operators hand records on without a serializer copy per hop (a copy of every record
        // at every chained edge, POJOs by reflection; docs/BENCHMARKS.md, tenth round). Safe because no
        // operator changes a record after emitting it, and every serializer on a network edge returns a
        // new object (PulseEventSerializer, CommunityInputSerializer; sinks consume each record at once).
        s.add(new Setting(PipelineOptions.OBJECT_REUSE, "true", null));
        s.add(new Setting(PipelineOptions.MAX_PARALLELISM, Integer.toString(cfg.get(PulseConfig.MAX_PARALLELISM)), PulseConfig.MAX_PARALLELISM));
        s.add(new Setting(key("parallelism.default"), Integer.toString(cfg.get(PulseConfig.PARALLELISM)), PulseConfig.PARALLELISM));
        s.add(new Setting(PipelineOptions.NAME, "community-pulse", null));
        if (mode == Mode.BOUNDED) {
            // File sources cannot pause single splits; alignment then works per source reader.
            s.add(new Setting(key("pipeline.watermark-alignment.allow-unaligned-source-splits"), "true", null));
        }
        return s;
    }

    /**
     * Everything a local MiniCluster runs with (run, process, demo, bench): every engine default, the
     * job's settings, and the MiniCluster's own memory, web UI and reporter.
     */
    public static Configuration configuration(PulseConfig cfg, Mode mode) {
        Configuration c = new Configuration();
        engineDefaults(cfg, cfg.get(PulseConfig.CHECKPOINT_INTERVAL)).forEach(s -> c.setString(s.key(), s.value()));
        jobSettings(cfg, mode).forEach(s -> c.setString(s.key(), s.value()));
        // Flink's local default is 128m for all slots and operators: constant memtable flushes, a tiny
        // block cache. A cluster sizes its own (taskmanager.memory.*).
        c.setString("taskmanager.memory.managed.size", (cfg.get(PulseConfig.LOCAL_MANAGED_MEMORY) >> 20) + "m");
        if (cfg.get(PulseConfig.PROMETHEUS_PORT) > 0) {
            c.setString("metrics.reporter.prom.factory.class", BoundPrometheusReporterFactory.CLASS_NAME);
            c.setString("metrics.reporter.prom.port", Integer.toString(cfg.get(PulseConfig.PROMETHEUS_PORT)));
            c.setString("metrics.reporter.prom.host", cfg.get(PulseConfig.BIND_HOST));
        }
        c.set(RestOptions.BIND_ADDRESS, cfg.get(PulseConfig.BIND_HOST));
        c.set(RestOptions.ADDRESS, cfg.get(PulseConfig.BIND_HOST));
        c.setString(RestOptions.BIND_PORT.key(), Integer.toString(cfg.get(PulseConfig.WEB_PORT)));
        return c;
    }

    /**
     * What the job adds to a cluster's configuration {@code cluster}: engine defaults only where the
     * cluster sets nothing, explicitly set engine options always, the job's settings always — and
     * nothing (or a {@link UsageException} for an explicit engine option) where the cluster forbids
     * program configuration.
     */
    public static Configuration clusterConfiguration(PulseConfig cfg, Mode mode, ReadableConfig cluster) {
        boolean programConfig = cluster.get(DeploymentOptions.PROGRAM_CONFIG_ENABLED);
        List<String> allowed = cluster.get(DeploymentOptions.PROGRAM_CONFIG_WILDCARDS);
        Duration interval = cfg.overrides().containsKey(PulseConfig.CHECKPOINT_INTERVAL.key())
                ? cfg.get(PulseConfig.CHECKPOINT_INTERVAL)
                : cluster.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElse(cfg.get(PulseConfig.CHECKPOINT_INTERVAL));
        checkTransactionTimeout(cfg, interval);
        Configuration c = new Configuration();
        for (Setting s : engineDefaults(cfg, interval)) {
            boolean explicit = s.explicit(cfg);
            if (!explicit && cluster.getOptional(s.flinkOption()).isPresent()) continue;
            if (!programConfig && !allowed(allowed, s.key())) {
                if (explicit) {
                    throw new UsageException("--" + s.jobOption().key() + " cannot apply: the cluster sets execution.program-config.enabled: false;"
                            + " set " + s.key() + " in the cluster's configuration instead (or list it in execution.program-config.wildcards)");
                }
                continue;
            }
            c.setString(s.key(), s.value());
        }
        for (Setting s : jobSettings(cfg, mode)) {
            if (programConfig || allowed(allowed, s.key())) {
                c.setString(s.key(), s.value());
            }
        }
        return c;
    }

    private static boolean allowed(List<String> wildcards, String key) {
        return wildcards.stream().anyMatch(w -> w.equals(key) || (w.endsWith("*") && key.startsWith(w.substring(0, w.length() - 1))));
    }

    /** The transactions of the exactly-once sinks must outlive a few checkpoint intervals, also the cluster's. */
    private static void checkTransactionTimeout(PulseConfig cfg, Duration interval) {
        if (cfg.get(PulseConfig.TX_TIMEOUT).compareTo(interval.multipliedBy(3)) < 0) {
            throw new UsageException("kafka.transaction-timeout (" + cfg.get(PulseConfig.TX_TIMEOUT).toSeconds() + " s) must be at least 3 x the checkpoint interval in effect ("
                    + interval.toMillis() + " ms, from the cluster's execution.checkpointing.interval): raise it or pass --checkpoint.interval");
        }
    }

    /**
     * An environment for the current context: under {@code flink run}, a REST submission or the
     * Kubernetes operator, the cluster's (with {@link #clusterConfiguration} on top); else a local
     * MiniCluster with {@link #configuration}.
     */
    public static StreamExecutionEnvironment create(PulseConfig cfg, Mode mode) {
        // An empty configuration: the probe shows the cluster's configuration as it is, and creating
        // it adds nothing a cluster without program configuration would refuse.
        StreamExecutionEnvironment probe = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        if (probe instanceof LocalStreamEnvironment) {
            return StreamExecutionEnvironment.getExecutionEnvironment(configuration(cfg, mode));
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(clusterConfiguration(cfg, mode, probe.getConfiguration()));
    }

    /** True when {@link #create} would run on a cluster rather than a local MiniCluster. */
    public static boolean onCluster() {
        return !(StreamExecutionEnvironment.getExecutionEnvironment(new Configuration()) instanceof LocalStreamEnvironment);
    }

    /** A local MiniCluster with the Flink web UI on {@code bind-host:web.port}. */
    public static StreamExecutionEnvironment createLocalWithWebUi(PulseConfig cfg, Mode mode) {
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(configuration(cfg, mode));
    }
}
