package com.communitypulse.filemode;

import com.communitypulse.flags.UsageException;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.events.ParsedRecord;
import com.communitypulse.job.OperatorIds;
import com.communitypulse.job.PulseSources;
import com.communitypulse.job.Watermarks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * File mode inputs (CONTRACT §8): {@code DIR/<topic>.jsonl} per input topic; a missing file is an empty
 * stream. Same parser and watermark strategy as the Kafka sources.
 */
public final class FileSources {
    private FileSources() {}

    public static PulseSources create(StreamExecutionEnvironment env, PulseConfig cfg, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UsageException("Input directory " + dir + " does not exist: pass a directory holding pulse.messages.jsonl, pulse.clicks.jsonl, pulse.orders.jsonl");
        }
        EventParser parser = new EventParser(cfg.get(PulseConfig.MAX_RECORD_BYTES), cfg.get(PulseConfig.MAX_TEXT_CHARS));
        List<PulseSources.Input> inputs = new ArrayList<>();
        add(env, cfg, parser, dir, EventType.MESSAGE, cfg.get(PulseConfig.TOPIC_MESSAGES), OperatorIds.SOURCE_MESSAGES, inputs);
        add(env, cfg, parser, dir, EventType.CLICK, cfg.get(PulseConfig.TOPIC_CLICKS), OperatorIds.SOURCE_CLICKS, inputs);
        add(env, cfg, parser, dir, EventType.ORDER, cfg.get(PulseConfig.TOPIC_ORDERS), OperatorIds.SOURCE_ORDERS, inputs);
        if (inputs.isEmpty()) {
            throw new UsageException("No input files in " + dir + ": expected at least one of pulse.messages.jsonl, pulse.clicks.jsonl, pulse.orders.jsonl");
        }
        return new PulseSources(inputs);
    }

    private static void add(StreamExecutionEnvironment env, PulseConfig cfg, EventParser parser, Path dir, EventType type,
                            String topic, String uid, List<PulseSources.Input> into) {
        Path file = dir.resolve(topic + ".jsonl");
        if (!Files.isRegularFile(file)) {
            return;
        }
        FileSource<ParsedRecord> src = FileSource.forRecordStreamFormat(new JsonLinesFormat(type, topic, parser),
                new org.apache.flink.core.fs.Path(file.toUri())).build();
        DataStream<ParsedRecord> stream = env.fromSource(src, Watermarks.strategy(cfg), "File " + file.getFileName()).uid(uid).setParallelism(1);
        into.add(new PulseSources.Input(type.name().toLowerCase(java.util.Locale.ROOT), stream));
    }
}
