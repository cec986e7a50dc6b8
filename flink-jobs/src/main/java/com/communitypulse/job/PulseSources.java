package com.communitypulse.job;

import com.communitypulse.events.ParsedRecord;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The parsed input streams the topology starts from, with event-time watermarks already assigned
 * per source partition. Built by {@code KafkaSources} (live) or {@code FileSources} (file mode);
 * tests build their own. Each input has a stable id used in operator uids.
 */
public final class PulseSources {
    /** One input stream and its stable id (e.g. {@code messages}). */
    public record Input(String id, DataStream<ParsedRecord> stream) {}

    private final List<Input> inputs;

    public PulseSources(List<Input> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("at least one input stream is needed");
        }
        this.inputs = List.copyOf(inputs);
    }

    public List<Input> inputs() {
        return inputs;
    }
}
