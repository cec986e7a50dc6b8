package com.communitypulse.job;

import com.communitypulse.config.PulseConfig;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink configuration of every run, in one place: RocksDB with incremental checkpoints
 * (unaligned, optionally after {@code checkpoint.aligned-timeout}),
 * exactly-once checkpointing retained on cancellation, exponential-delay restarts (no tight
 * restart loop), fixed max parallelism, no Kryo fallback, local recovery, and Flink's Prometheus
 * reporter. Everything goes through a {@link Configuration}, so a cluster's own config.yaml can
 * override it.
 */
public final class PulseEnvironment {
    private PulseEnvironment() {}

    /** Mode of a run: a streaming job, or a bounded replay (file mode, bounded Kafka). */
    public enum Mode { STREAMING, BOUNDED }

    public static Configuration configuration(PulseConfig cfg, Mode mode) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        // Timers on the heap: every event touches a timer, and RocksDB-backed timer queues cost an
        // iterator seek per peek. Heap timers are snapshotted with the checkpoint like any state.
        c.setString("state.backend.rocksdb.timer-service.factory", cfg.get(PulseConfig.TIMER_STORE).toUpperCase(java.util.Locale.ROOT));
        // Bloom filters: most reads are point lookups of one member's or community's key; without
        // a filter each lookup that misses the memtable probes (and decompresses) a block of every
        // level-0 file. Measured: RocksDB get was 36% of the job's CPU without (issue 9).
        c.setString("state.backend.rocksdb.use-bloom-filter", "true");
        // Only the local MiniCluster reads this (Flink's local default is 128m for all slots and
        // operators: constant memtable flushes, a tiny block cache). A cluster sizes its own.
        c.setString("taskmanager.memory.managed.size", (cfg.get(PulseConfig.LOCAL_MANAGED_MEMORY) >> 20) + "m");
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, cfg.get(PulseConfig.CHECKPOINT_DIR));
        c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, cfg.get(PulseConfig.SAVEPOINT_DIR));
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, cfg.get(PulseConfig.CHECKPOINT_INTERVAL));
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        c.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, cfg.get(PulseConfig.CHECKPOINTS_RETAINED));
        c.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(Math.min(1000, cfg.millis(PulseConfig.CHECKPOINT_INTERVAL) / 2)));
        c.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 3);
        // Under back-pressure aligned barriers queue behind the buffered records; unaligned ones overtake
        // them (still exactly-once). Measured at 1M members (issue 9): every checkpoint of a back-pressured
        // job waited out the whole aligned timeout first, ~1 s of its ~2.9 s.
        if (cfg.get(PulseConfig.CHECKPOINT_UNALIGNED)) {
            c.setString("execution.checkpointing.unaligned.enabled", "true");
            c.setString("execution.checkpointing.aligned-checkpoint-timeout", cfg.get(PulseConfig.CHECKPOINT_ALIGNED_TIMEOUT).toMillis() + " ms");
        }
        c.set(org.apache.flink.configuration.StateRecoveryOptions.LOCAL_RECOVERY, true);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(30));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, 20);
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(PipelineOptions.MAX_PARALLELISM, cfg.get(PulseConfig.MAX_PARALLELISM));
        c.setString("parallelism.default", Integer.toString(cfg.get(PulseConfig.PARALLELISM)));
        c.setString("pipeline.name", "community-pulse");
        if (cfg.get(PulseConfig.PROMETHEUS_PORT) > 0) {
            c.setString("metrics.reporter.prom.factory.class", BoundPrometheusReporterFactory.CLASS_NAME);
            c.setString("metrics.reporter.prom.port", Integer.toString(cfg.get(PulseConfig.PROMETHEUS_PORT)));
            c.setString("metrics.reporter.prom.host", cfg.get(PulseConfig.BIND_HOST));
        }
        c.set(RestOptions.BIND_ADDRESS, cfg.get(PulseConfig.BIND_HOST));
        c.set(RestOptions.ADDRESS, cfg.get(PulseConfig.BIND_HOST));
        c.setString(RestOptions.BIND_PORT.key(), Integer.toString(cfg.get(PulseConfig.WEB_PORT)));
        if (mode == Mode.BOUNDED) {
            // File sources cannot pause single splits; alignment then works per source reader.
            c.setString("pipeline.watermark-alignment.allow-unaligned-source-splits", "true");
        }
        return c;
    }

    /** An environment for the current context: a cluster under {@code flink run}, else a local MiniCluster. */
    public static StreamExecutionEnvironment create(PulseConfig cfg, Mode mode) {
        return StreamExecutionEnvironment.getExecutionEnvironment(configuration(cfg, mode));
    }

    /** A local MiniCluster with the Flink web UI on {@code bind-host:web.port}. */
    public static StreamExecutionEnvironment createLocalWithWebUi(PulseConfig cfg, Mode mode) {
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(configuration(cfg, mode));
    }
}
