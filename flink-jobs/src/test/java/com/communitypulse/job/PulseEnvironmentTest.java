package com.communitypulse.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.config.ConfigException;
import com.communitypulse.config.PulseConfig;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
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
        assertThat(conf(Map.of("checkpoint.unaligned", "false")).getString("execution.checkpointing.unaligned.enabled", null)).isNull();
    }

    @Test
    void shouldNameTheChoicesWhenTheTimerStoreIsUnknown() {
        assertThatThrownBy(() -> PulseConfig.of(Map.of("state.timer-store", "disk")).get(PulseConfig.TIMER_STORE))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 'disk' for state.timer-store: use heap or rocksdb");
    }
}
