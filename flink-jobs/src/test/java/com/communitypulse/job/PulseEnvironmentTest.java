package com.communitypulse.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.flags.UsageException;
import com.communitypulse.config.PulseConfig;
import java.util.Map;
import org.apache.flink.client.deployment.executors.RemoteExecutor;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class PulseEnvironmentTest {
    private static Configuration conf(Map<String, String> options) {
        return PulseEnvironment.configuration(PulseConfig.of(options), PulseEnvironment.Mode.STREAMING);
    }

    @Test
    void shouldCheckpointUnalignedAtOnceAndKeepTimersInRocksDbByDefault() {
        Configuration c = conf(Map.of());
        assertThat(c.getString("execution.checkpointing.unaligned.enabled", null)).isEqualTo("true");
        assertThat(c.getString("execution.checkpointing.aligned-checkpoint-timeout", null)).isEqualTo("0 ms");
        assertThat(c.getString("state.backend.rocksdb.timer-service.factory", null)).isEqualTo("ROCKSDB");
    }

    @Test
    void shouldHonourAnAlignedTimeoutAlignedCheckpointsAndHeapTimersWhenAskedFor() {
        Configuration c = conf(Map.of("checkpoint.aligned-timeout", "1s", "state.timer-store", "HEAP"));
        assertThat(c.getString("execution.checkpointing.aligned-checkpoint-timeout", null)).isEqualTo("1000 ms");
        assertThat(c.getString("state.backend.rocksdb.timer-service.factory", null)).isEqualTo("HEAP");
        assertThat(conf(Map.of("checkpoint.unaligned", "false")).getString("execution.checkpointing.unaligned.enabled", null)).isEqualTo("false");
    }

    @Test
    void shouldNameTheChoicesWhenTheTimerStoreIsUnknown() {
        assertThatThrownBy(() -> PulseConfig.of(Map.of("state.timer-store", "disk")).get(PulseConfig.TIMER_STORE))
                .isInstanceOf(UsageException.class)
                .hasMessage("Invalid value 'disk' for state.timer-store: use heap or rocksdb");
    }

    private static Configuration cluster(Map<String, String> yaml) {
        return Configuration.fromMap(yaml);
    }

    private static Configuration onCluster(Map<String, String> options, Map<String, String> clusterYaml) {
        return PulseEnvironment.clusterConfiguration(PulseConfig.of(options), PulseEnvironment.Mode.STREAMING, cluster(clusterYaml));
    }

    @Test
    void shouldLeaveEveryEngineSettingTheClusterSetsToTheClusterWhenNoJobFlagIsGiven() {
        Map<String, String> yaml = Map.of(
                "execution.checkpointing.dir", "s3://ops/checkpoints",
                "execution.checkpointing.interval", "45 s",
                "state.backend.type", "hashmap",
                "restart-strategy.type", "fixed-delay",
                "state.backend.rocksdb.use-bloom-filter", "false");
        Configuration c = onCluster(Map.of(), yaml);
        for (String k : yaml.keySet()) {
            assertThat(c.containsKey(k)).as(k + " is the cluster's").isFalse();
        }
        // Where the cluster is silent, the job's defaults still apply.
        assertThat(c.getString("execution.checkpointing.externalized-checkpoint-retention", null)).isEqualTo("RETAIN_ON_CANCELLATION");
        assertThat(c.getString("execution.checkpointing.savepoint-dir", null)).isEqualTo("file:///tmp/pulse/savepoints");
        // The min pause follows the cluster's interval: min(1 s, 45 s / 2).
        assertThat(c.getString("execution.checkpointing.min-pause", null)).isEqualTo("1000 ms");
        // Job semantics are always the job's; local-only settings never reach a cluster.
        assertThat(c.getString("pipeline.max-parallelism", null)).isEqualTo("128");
        assertThat(c.getString("pipeline.generic-types", null)).isEqualTo("false");
        assertThat(c.containsKey("taskmanager.memory.managed.size")).isFalse();
        assertThat(c.containsKey("metrics.reporter.prom.port")).isFalse();
        assertThat(c.containsKey("rest.bind-address")).isFalse();
    }

    @Test
    void shouldApplyAJobFlagTheUserPassedOverTheClustersValue() {
        Configuration c = onCluster(Map.of("checkpoint.dir", "file:///mine", "checkpoint.interval", "3s", "state.timer-store", "heap"),
                Map.of("execution.checkpointing.dir", "s3://ops/checkpoints", "execution.checkpointing.interval", "45 s",
                        "state.backend.rocksdb.timer-service.factory", "ROCKSDB"));
        assertThat(c.getString("execution.checkpointing.dir", null)).isEqualTo("file:///mine");
        assertThat(c.getString("execution.checkpointing.interval", null)).isEqualTo("3000 ms");
        assertThat(c.getString("state.backend.rocksdb.timer-service.factory", null)).isEqualTo("HEAP");
        assertThat(c.getString("execution.checkpointing.min-pause", null)).isEqualTo("1000 ms");
    }

    @Test
    void shouldApplyEveryEngineDefaultOnAClusterThatSetsNone() {
        Configuration local = conf(Map.of());
        Configuration c = onCluster(Map.of(), Map.of());
        for (String k : c.keySet()) {
            assertThat(c.getString(k, null)).as(k).isEqualTo(local.getString(k, null));
        }
        assertThat(c.getString("execution.checkpointing.dir", null)).isEqualTo("file:///tmp/pulse/checkpoints");
        assertThat(c.getString("state.backend.type", null)).isEqualTo("rocksdb");
        assertThat(c.getString("restart-strategy.type", null)).isEqualTo("exponential-delay");
    }

    @Test
    void shouldAddNothingWhereTheClusterForbidsProgramConfigurationAndNameTheKeyForAnExplicitFlag() {
        Map<String, String> locked = Map.of("execution.program-config.enabled", "false");
        assertThat(onCluster(Map.of(), locked).keySet()).isEmpty();
        assertThatThrownBy(() -> onCluster(Map.of("checkpoint.dir", "file:///mine"), locked))
                .isInstanceOf(UsageException.class)
                .hasMessage("--checkpoint.dir cannot apply: the cluster sets execution.program-config.enabled: false; set execution.checkpointing.dir"
                        + " in the cluster's configuration instead (or list it in execution.program-config.wildcards)");
        Configuration allowed = onCluster(Map.of("checkpoint.dir", "file:///mine"), Map.of("execution.program-config.enabled", "false",
                "execution.program-config.wildcards", "execution.checkpointing.dir;pipeline.*"));
        assertThat(allowed.getString("execution.checkpointing.dir", null)).isEqualTo("file:///mine");
        assertThat(allowed.getString("pipeline.max-parallelism", null)).isEqualTo("128");
        assertThat(allowed.containsKey("state.backend.type")).isFalse();
    }

    @Test
    void shouldRefuseATransactionTimeoutShorterThanThreeClusterCheckpointIntervals() {
        assertThatThrownBy(() -> onCluster(Map.of(), Map.of("execution.checkpointing.interval", "5 min")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("kafka.transaction-timeout (600 s) must be at least 3 x the checkpoint interval in effect (300000 ms");
    }

    @Test
    void shouldTakeTheClustersConfigurationInsideAContextEnvironmentAndTheJobDefaultsOutsideOne() {
        StreamExecutionEnvironment local = PulseEnvironment.create(PulseConfig.of(Map.of()), PulseEnvironment.Mode.STREAMING);
        assertThat(local).isInstanceOf(LocalStreamEnvironment.class);
        assertThat(local.getConfiguration().toMap()).containsEntry("execution.checkpointing.dir", "file:///tmp/pulse/checkpoints");
        assertThat(PulseEnvironment.onCluster()).isFalse();

        // What flink run and a REST submission do: the cluster's configuration becomes the context.
        Configuration clusterYaml = cluster(Map.of("execution.checkpointing.dir", "s3://ops/checkpoints", "execution.checkpointing.interval", "45 s",
                DeploymentOptions.TARGET.key(), RemoteExecutor.NAME));
        StreamContextEnvironment.setAsContext(new DefaultExecutorServiceLoader(), clusterYaml, getClass().getClassLoader(), true, true);
        try {
            assertThat(PulseEnvironment.onCluster()).isTrue();
            Map<String, String> effective = PulseEnvironment.create(PulseConfig.of(Map.of()), PulseEnvironment.Mode.STREAMING).getConfiguration().toMap();
            assertThat(effective).containsEntry("execution.checkpointing.dir", "s3://ops/checkpoints")
                    .containsEntry("execution.checkpointing.interval", "45 s")
                    .containsEntry("state.backend.type", "rocksdb");
            Map<String, String> flagged = PulseEnvironment.create(PulseConfig.of(Map.of("checkpoint.dir", "file:///mine")), PulseEnvironment.Mode.STREAMING)
                    .getConfiguration().toMap();
            assertThat(flagged).containsEntry("execution.checkpointing.dir", "file:///mine");
        } finally {
            StreamContextEnvironment.unsetAsContext();
        }
    }
}
