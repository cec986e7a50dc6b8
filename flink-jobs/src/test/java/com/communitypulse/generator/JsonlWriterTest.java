package com.communitypulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlWriterTest {

    @Test
    void shouldWriteEachRecordOnItsOwnLineWhenWritingARun(@TempDir Path dir) throws IOException {
        GeneratorConfig c = GeneratedRun.small();
        GroundTruth truth = JsonlWriter.write(c, dir);
        Map<String, List<byte[]>> expected = new HashMap<>();
        for (GeneratedRecord r : GeneratedRun.of(c).records) expected.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(r.value());
        for (String topic : List.of("pulse.messages", "pulse.clicks", "pulse.orders")) {
            List<byte[]> lines = splitLines(Files.readAllBytes(dir.resolve(topic + ".jsonl")));
            assertThat((long) lines.size()).isEqualTo(truth.topic(topic).produced());
            List<byte[]> want = expected.get(topic);
            assertThat(lines).hasSameSizeAs(want);
            for (int i = 0; i < lines.size(); i++) assertThat(lines.get(i)).as(topic + " line " + (i + 1)).isEqualTo(want.get(i));
        }
    }

    @Test
    void shouldRoundTripTheTruthWhenWrittenAndRead(@TempDir Path dir) {
        GroundTruth truth = JsonlWriter.write(GeneratedRun.small(), dir);
        GroundTruth read = GroundTruth.readJson(dir.resolve(JsonlWriter.TRUTH_FILE));
        assertThat(read.toJson()).isEqualTo(truth.toJson());
        assertThat(read.churners()).isEqualTo(truth.churners());
        assertThat(read.topic("pulse.orders").goodUnique()).isEqualTo(truth.topic("pulse.orders").goodUnique());
        assertThat(read.lateEventIds()).isNotEmpty();
    }

    @Test
    void shouldReplaceLineBreaksWhenAValueContainsThem() {
        byte[] v = "a\nb\rc".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(JsonlWriter.oneLine(v), StandardCharsets.UTF_8)).isEqualTo("a b c");
        byte[] clean = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonlWriter.oneLine(clean)).isSameAs(clean);
    }

    private static List<byte[]> splitLines(byte[] all) {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(java.util.Arrays.copyOfRange(all, from, i));
                from = i + 1;
            }
        }
        assertThat(from).as("file ends with a newline").isEqualTo(all.length);
        return out;
    }
}
