package com.communitypulse.filemode;

import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.events.ParsedRecord;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a JSON-lines file of one input topic and parses each line like the Kafka path does. A
 * file is partition 0 of its topic: every record carries both, and a dead letter records the
 * 1-based line number as offset, as editors and {@code sed -n} count lines (docs/TOPICS.md). Lateness is judged after the source, in {@code RouteInputFunction},
 * exactly as for a Kafka partition.
 * Blank lines are skipped (so a trailing newline is harmless). Lines are read as raw bytes, so
 * invalid UTF-8 reaches the parser and is dead-lettered like on Kafka.
 */
public class JsonLinesFormat extends SimpleStreamFormat<ParsedRecord> {
    private static final long serialVersionUID = 1L;
    private final EventType type;
    private final String topic;
    private final EventParser parser;

    public JsonLinesFormat(EventType type, String topic, EventParser parser) {
        this.type = type;
        this.topic = topic;
        this.parser = parser;
    }

    @Override
    public StreamFormat.Reader<ParsedRecord> createReader(Configuration config, FSDataInputStream stream) {
        InputStream in = new BufferedInputStream(stream, 1 << 16);
        return new StreamFormat.Reader<>() {
            private long line = 0;
            private final ByteArrayOutputStream buf = new ByteArrayOutputStream(512);

            @Override
            public ParsedRecord read() throws IOException {
                while (true) {
                    buf.reset();
                    int b;
                    boolean any = false;
                    while ((b = in.read()) != -1 && b != '\n') {
                        buf.write(b);
                        any = true;
                    }
                    if (b == -1 && !any) {
                        return null;
                    }
                    line++;
                    byte[] bytes = buf.toByteArray();
                    int len = bytes.length;
                    if (len > 0 && bytes[len - 1] == '\r') {
                        bytes = java.util.Arrays.copyOf(bytes, len - 1);
                    }
                    if (isBlank(bytes)) {
                        continue;
                    }
                    return parser.parse(type, bytes, topic, 0, line);
                }
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\t') return false;
        }
        return true;
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
