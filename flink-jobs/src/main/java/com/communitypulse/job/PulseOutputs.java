package com.communitypulse.job;

import com.communitypulse.alerts.AlertRecord;
import com.communitypulse.events.DeadLetter;
import com.communitypulse.events.LateEvent;
import com.communitypulse.lifecycle.LifecycleRecord;
import com.communitypulse.metrics.MetricRecord;
import com.communitypulse.privacy.OutputIds;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The typed output streams of {@link PulseTopology#build}; sinks are attached by {@link PulseSinks}.
 *
 * <p>Each output is kept as the list of streams that produce it, not as their union: the sinks
 * serialise every part to JSON chained to the operator that produced it, so what crosses the
 * network edge into a sink is bytes, not a typed record (a map of values per metric record) that is
 * serialised for the edge, deserialised and serialised again as JSON (docs/BENCHMARKS.md, "Seventh round").
 */
public final class PulseOutputs {
    private final List<DataStream<MetricRecord>> metrics;
    private final List<DataStream<DeadLetter>> deadLetters;
    private final List<DataStream<LateEvent>> late;
    private final List<DataStream<AlertRecord>> alerts;
    private final DataStream<LifecycleRecord> lifecycle;
    /** How the sinks turn the sealed in-job member ids into output ids. */
    public final OutputIds ids;

    public PulseOutputs(List<DataStream<MetricRecord>> metrics, List<DataStream<DeadLetter>> deadLetters, List<DataStream<LateEvent>> late,
                        List<DataStream<AlertRecord>> alerts, DataStream<LifecycleRecord> lifecycle, OutputIds ids) {
        this.ids = ids;
        this.metrics = List.copyOf(metrics);
        this.alerts = List.copyOf(alerts);
        this.lifecycle = lifecycle;
        this.deadLetters = List.copyOf(deadLetters);
        this.late = List.copyOf(late);
    }

    public List<DataStream<MetricRecord>> metricParts() { return metrics; }
    public List<DataStream<DeadLetter>> deadLetterParts() { return deadLetters; }
    public List<DataStream<LateEvent>> lateParts() { return late; }
    public List<DataStream<AlertRecord>> alertParts() { return alerts; }
    public DataStream<LifecycleRecord> lifecycle() { return lifecycle; }

    /** All alerts as one stream (for a job that adds its own consumer of them). */
    public DataStream<AlertRecord> alerts() {
        return union(alerts);
    }

    static <T> DataStream<T> union(List<DataStream<T>> parts) {
        DataStream<T> u = parts.get(0);
        for (int i = 1; i < parts.size(); i++) u = u.union(parts.get(i));
        return u;
    }
}
