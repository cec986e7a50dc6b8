package com.communitypulse.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.job.PulseEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.RocksDB;

class RocksDbCompactionTest {
    static {
        RocksDB.loadLibrary();
    }

    private static ColumnFamilyOptions columnOptions(Configuration conf) {
        RocksDbCompaction f = new RocksDbCompaction();
        f.configure(conf);
        List<AutoCloseable> handles = new ArrayList<>();
        return f.createColumnOptions(new ColumnFamilyOptions(), handles);
    }

    @Test
    void shouldSetTheLevelZeroTriggerFromThePulseOptionAndKeepTheThrottlesAboveIt() {
        Configuration conf = PulseEnvironment.configuration(PulseConfig.of(Map.of("state.level0-compaction-trigger", "16")), PulseEnvironment.Mode.STREAMING);
        assertThat(conf.getString("state.backend.rocksdb.options-factory", null)).isEqualTo(RocksDbCompaction.class.getName());
        try (ColumnFamilyOptions o = columnOptions(conf)) {
            assertThat(o.level0FileNumCompactionTrigger()).isEqualTo(16);
            assertThat(o.level0SlowdownWritesTrigger()).isEqualTo(80);
            assertThat(o.level0StopWritesTrigger()).isEqualTo(144);
        }
    }

    @Test
    void shouldKeepRocksDbDefaultsWhenTheTriggerIsFour() {
        Configuration conf = new Configuration();
        conf.set(RocksDbCompaction.LEVEL0_TRIGGER, 4);
        try (ColumnFamilyOptions o = columnOptions(conf)) {
            assertThat(o.level0FileNumCompactionTrigger()).isEqualTo(4);
            assertThat(o.level0SlowdownWritesTrigger()).isEqualTo(20);
            assertThat(o.level0StopWritesTrigger()).isEqualTo(36);
        }
    }

    @Test
    void shouldRejectATriggerBelowOneWithTheKeyInTheMessage() {
        Configuration conf = new Configuration();
        conf.set(RocksDbCompaction.LEVEL0_TRIGGER, 0);
        assertThatThrownBy(() -> new RocksDbCompaction().configure(conf))
                .hasMessage("community-pulse.rocksdb.level0-compaction-trigger must be at least 1, got 0");
        assertThatThrownBy(() -> PulseConfig.of(Map.of("state.level0-compaction-trigger", "0")).get(PulseConfig.LEVEL0_COMPACTION_TRIGGER))
                .hasMessageContaining("state.level0-compaction-trigger");
    }
}
