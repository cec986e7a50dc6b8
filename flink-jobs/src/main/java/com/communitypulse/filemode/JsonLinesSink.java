package com.communitypulse.filemode;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.job.OutRecord;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseSinks;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * File mode output: one JSON-lines file per output topic ({@code DIR/<topic>.jsonl}). Bounded runs
 * only; each subtask appends to its own file and subtask 0 owns the plain name, others
 * {@code <topic>.<n>.jsonl}; {@link #factory} runs the sinks with parallelism 1, so there is one file per topic.
 */
public class JsonLinesSink implements Sink<OutRecord> {
    private static final long serialVersionUID = 1L;
    private final String dir;
    private final String topic;

    public JsonLinesSink(Path dir, String topic) {
        this.dir = dir.toAbsolutePath().toString();
        this.topic = topic;
    }

    /** A factory for {@link PulseSinks#attach}: every output topic to {@code dir}. */
    public static PulseSinks.SinkFactory factory(PulseConfig cfg, Path dir) {
        return new PulseSinks.SinkFactory() {
            @Override
            public Sink<OutRecord> create(OutputTopic t) {
                return new JsonLinesSink(dir, t.topic(cfg));
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
        Path file = Paths.get(dir, idx == 0 ? topic + ".jsonl" : topic + "." + idx + ".jsonl");
        Files.createDirectories(file.getParent());
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return new SinkWriter<>() {
            @Override
            public void write(OutRecord r, Context ctx) throws IOException {
                out.write(r.getValue());
                out.write('\n');
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}
