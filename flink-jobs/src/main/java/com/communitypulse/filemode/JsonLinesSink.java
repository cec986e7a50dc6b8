package com.communitypulse.filemode;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.job.OutRecord;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseSinks;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.connector.base.DeliveryGuarantee;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * File mode output: one JSON-lines file per output topic ({@code DIR/<topic>.jsonl}), each record
 * to the file of the topic it names. Bounded runs only; each subtask appends to its own files and
 * subtask 0 owns the plain names, others {@code <topic>.<n>.jsonl}; {@link #factory} runs the sinks
 * with parallelism 1, so there is one file per topic. Every topic's file exists at the end, empty
 * when the run wrote nothing to it.
 */
public class JsonLinesSink implements Sink<OutRecord> {
    private static final long serialVersionUID = 1L;
    private final String dir;
    private final EnumMap<OutputTopic, String> topics;

    public JsonLinesSink(Path dir, EnumMap<OutputTopic, String> topics) {
        this.dir = dir.toAbsolutePath().toString();
        this.topics = new EnumMap<>(topics);
    }

    /** A factory for {@link PulseSinks#attach}: every output topic to {@code dir}. */
    public static PulseSinks.SinkFactory factory(PulseConfig cfg, Path dir) {
        return new PulseSinks.SinkFactory() {
            @Override
            public DeliveryGuarantee guarantee(OutputTopic topic) {
                return DeliveryGuarantee.EXACTLY_ONCE; // one file writer for all: the run is bounded and replayable
            }

            @Override
            public Sink<OutRecord> create(DeliveryGuarantee guarantee, Set<OutputTopic> topics) {
                EnumMap<OutputTopic, String> names = new EnumMap<>(OutputTopic.class);
                topics.forEach(t -> names.put(t, t.topic(cfg)));
                return new JsonLinesSink(dir, names);
            }

            @Override
            public int parallelism() {
                return 1;
            }
        };
    }

    @Override
    public SinkWriter<OutRecord> createWriter(WriterInitContext context) throws IOException {
        int idx = context.getTaskInfo().getIndexOfThisSubtask();
        EnumMap<OutputTopic, OutputStream> outs = new EnumMap<>(OutputTopic.class);
        for (Map.Entry<OutputTopic, String> t : topics.entrySet()) {
            String topic = t.getValue();
            Path file = Paths.get(dir, idx == 0 ? topic + ".jsonl" : topic + "." + idx + ".jsonl");
            Files.createDirectories(file.getParent());
            outs.put(t.getKey(), new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        }
        return new SinkWriter<>() {
            @Override
            public void write(OutRecord r, Context ctx) throws IOException {
                OutputStream out = outs.get(r.getTopic());
                if (out == null) {
                    throw new IllegalStateException("this sink does not write output " + r.getTopic() + " (it writes " + topics.keySet() + ")");
                }
                out.write(r.getValue());
                out.write('\n');
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                for (OutputStream out : outs.values()) out.flush();
            }

            @Override
            public void close() throws IOException {
                for (OutputStream out : outs.values()) out.close();
            }
        };
    }
}
