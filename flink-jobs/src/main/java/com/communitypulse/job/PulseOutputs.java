package com.communitypulse.job;

import com.communitypulse.alerts.AlertRecord;
import com.communitypulse.events.DeadLetter;
import com.communitypulse.events.LateEvent;
import com.communitypulse.lifecycle.LifecycleRecord;
import com.communitypulse.metrics.MetricRecord;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The typed output streams of {@link PulseTopology#build}; sinks are attached by {@link PulseSinks}. */
public final class PulseOutputs {
    public final DataStream<MetricRecord> metrics;
    public final DataStream<DeadLetter> deadLetters;
    public final DataStream<LateEvent> late;
    public final DataStream<AlertRecord> alerts;
    public final DataStream<LifecycleRecord> lifecycle;

    public PulseOutputs(DataStream<MetricRecord> metrics, DataStream<DeadLetter> deadLetters, DataStream<LateEvent> late,
                        DataStream<AlertRecord> alerts, DataStream<LifecycleRecord> lifecycle) {
        this.metrics = metrics;
        this.alerts = alerts;
        this.lifecycle = lifecycle;
        this.deadLetters = deadLetters;
        this.late = late;
    }
}
