package com.communitypulse.state;

import java.util.Collection;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.state.rocksdb.ConfigurableRocksDBOptionsFactory;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * RocksDB compaction settings for incremental checkpoints of keyed state whose writes are spread
 * over the whole key space (one value per member, every member written now and then).
 *
 * <p>Why: Flink's incremental checkpoint flushes the memtables and uploads every SST file it has not
 * uploaded before. Keys start with the key group, so each flushed file overlaps the whole key range
 * of level 1, and every level-0 → level-1 compaction rewrites all of level 1, i.e. nearly the whole
 * state of the column family. With RocksDB's default trigger of 4 level-0 files and a flush per
 * checkpoint, the whole state was rewritten and uploaded every fourth checkpoint: 57–150 MB per 10 s
 * interval at 1M members (issue 9). A higher trigger lets level-0 files pile up for longer before one
 * compaction merges them; reads probe more level-0 files, which the bloom filters (on for every run)
 * keep cheap. The slow-down and stop triggers move up with it, so writes are never throttled by
 * RocksDB before the compaction trigger is even reached.
 *
 * <p>Configured with {@code state.backend.rocksdb.options-factory} = this class and
 * {@link #LEVEL0_TRIGGER}; see {@code PulseEnvironment}.
 */
public final class RocksDbCompaction implements ConfigurableRocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;

    public static final ConfigOption<Integer> LEVEL0_TRIGGER = ConfigOptions.key("community-pulse.rocksdb.level0-compaction-trigger")
            .intType().defaultValue(4)
            .withDescription("Number of level-0 files that triggers a level-0 compaction (RocksDB's default: 4).");

    private int level0Trigger = LEVEL0_TRIGGER.defaultValue();

    @Override
    public RocksDBOptionsFactory configure(ReadableConfig config) {
        int t = config.get(LEVEL0_TRIGGER);
        if (t < 1) {
            throw new IllegalArgumentException(LEVEL0_TRIGGER.key() + " must be at least 1, got " + t);
        }
        level0Trigger = t;
        return this;
    }

    /** The configured level-0 compaction trigger. */
    public int level0Trigger() {
        return level0Trigger;
    }

    @Override
    public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
        return current;
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions current, Collection<AutoCloseable> handlesToClose) {
        // RocksDB's defaults keep slow-down (20) and stop (36) well above the trigger (4); keep that distance.
        return current.setLevel0FileNumCompactionTrigger(level0Trigger)
                .setLevel0SlowdownWritesTrigger(Math.max(20, level0Trigger * 5))
                .setLevel0StopWritesTrigger(Math.max(36, level0Trigger * 9));
    }
}
