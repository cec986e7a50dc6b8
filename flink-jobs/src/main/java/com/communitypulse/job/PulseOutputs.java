package com.communitypulse.job;

import com.communitypulse.alerts.AlertRecord;
import com.communitypulse.events.DeadLetter;
import com.communitypulse.events.LateEvent;
import com.communitypulse.lifecycle.LifecycleRecord;
import com.communitypulse.metrics.MetricRecord;
import com.communitypulse.privacy.OutputIds;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The typed output streams of {@link PulseTopology#build}; sinks are attached by {@link PulseSinks}. */
public final class PulseOutputs {
    public final DataStream<MetricRecord> metrics;
    public final DataStream<DeadLetter> deadLetters;
    public final DataStream<LateEvent> late;
    public final DataStream<AlertRecord> alerts;
    public final DataStream<LifecycleRecord> lifecycle;
    /** How the sinks turn the sealed in-job member ids into output ids. */
    public final OutputIds ids;

    public PulseOutputs(DataStream<MetricRecord> metrics, DataStream<DeadLetter> deadLetters, DataStream<LateEvent> late,
                        DataStream<AlertRecord> alerts, DataStream<LifecycleRecord> lifecycle, OutputIds ids) {
        this.ids = ids;
        this.metrics = metrics;
        this.alerts = alerts;
        this.lifecycle = lifecycle;
        this.deadLetters = deadLetters;
        this.late = late;
    }
}
