package com.communitypulse.generator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a generator run as the file-mode input of CONTRACT §8: {@code DIR/pulse.messages.jsonl},
 * {@code DIR/pulse.clicks.jsonl}, {@code DIR/pulse.orders.jsonl} (one record per line, in emission
 * order, so duplicates, out-of-order and late events keep their positions) plus {@code DIR/truth.json}.
 *
 * <p><b>One record per line.</b> Record values are written byte for byte, followed by {@code '\n'}.
 * Good records never contain a raw line break (JSON escapes them inside strings) and the generator
 * builds malformed records without {@code 0x0A}/{@code 0x0D} bytes. As a safety net, any such byte
 * found in a value is replaced by a space ({@code 0x20}) before writing; tests check that this never
 * happens, so a file line equals the Kafka value of the same record. Invalid UTF-8 is written as is
 * (a file reader must read lines as bytes, or decode with replacement; malformed records are rejected
 * either way).
 *
 * <h2>How to run</h2>
 * <pre>{@code GroundTruth t = JsonlWriter.write(GeneratorConfig.defaults(), Path.of("/tmp/run"));}</pre>
 * or {@code pulse generate --out /tmp/run}.
 */
public final class JsonlWriter {
    public static final String TRUTH_FILE = "truth.json";
    private static final String[] TOPICS = {"pulse.messages", "pulse.clicks", "pulse.orders"};

    private JsonlWriter() {}

    /** Generates a run of {@code c} into {@code dir} (created if absent; files replaced) and returns its truth. */
    public static GroundTruth write(GeneratorConfig c, Path dir) {
        return write(new EventGenerator(c), dir, null);
    }

    /** Drains {@code g} into {@code dir}; {@code onRecord} (may be null) sees every record, e.g. for pacing. */
    static GroundTruth write(EventGenerator g, Path dir, java.util.function.Consumer<GeneratedRecord> onRecord) {
        Map<String, OutputStream> files = new HashMap<>();
        try {
            Files.createDirectories(dir);
            for (String t : TOPICS) {
                files.put(t, new BufferedOutputStream(Files.newOutputStream(dir.resolve(fileName(t))), 1 << 16));
            }
            while (g.hasNext()) {
                GeneratedRecord r = g.next();
                if (onRecord != null) onRecord.accept(r);
                OutputStream o = files.get(r.topic());
                o.write(oneLine(r.value()));
                o.write('\n');
            }
            for (OutputStream o : files.values()) o.close();
            files.clear();
            GroundTruth truth = g.truth();
            truth.writeJson(dir.resolve(TRUTH_FILE));
            return truth;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write generator output to " + dir + ": " + e.getMessage(), e);
        } finally {
            for (OutputStream o : files.values()) {
                try {
                    o.close();
                } catch (IOException ignored) {
                    // Already failing; the first error is the one worth reporting.
                }
            }
        }
    }

    public static String fileName(String topic) {
        return topic + ".jsonl";
    }

    /** The value with line breaks replaced by spaces; the same array when it has none (the normal case). */
    static byte[] oneLine(byte[] v) {
        byte[] out = v;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == '\n' || v[i] == '\r') {
                if (out == v) out = v.clone();
                out[i] = ' ';
            }
        }
        return out;
    }
}
