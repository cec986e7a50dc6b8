package com.communitypulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratorCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GeneratorCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "--out",
        "--out /tmp/x --bootstrap localhost:9092",
        "--out /tmp/x --seed abc",
        "--out /tmp/x --members -5",
        "--out /tmp/x --communities 100 --members 10",
        "--out /tmp/x --dup-rate 1.5",
        "--out /tmp/x --ooo-rate NaN",
        "--out /tmp/x --days 0",
        "--out /tmp/x --start yesterday",
        "--out /tmp/x --speed 0",
        "--out /tmp/x --frobnicate 3",
        "--bootstrap localhost",
        "--out /tmp/x --truth /tmp/t.json",
        "stray",
    })
    void shouldPrintOneLineAndExitTwoWhenTheCommandLineIsBad(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertThat(run(args)).isEqualTo(2);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).startsWith("pulse generate: ").endsWith(System.lineSeparator());
        assertThat(e.strip()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out.size()).isZero();
    }

    @Test
    void shouldPrintUsageWhenAskedForHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--bootstrap HOST:PORT", "--malformed-rate");
        assertThat(err.size()).isZero();
    }

    @Test
    void shouldWriteFilesAndSummaryWhenOutIsGiven(@TempDir Path dir) {
        assertThat(run("--out", dir.toString(), "--seed", "5", "--communities", "5", "--members", "200", "--days", "1",
                "--events", "3000", "--dup-rate=0.05")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("generated ").contains("duplicates");
        assertThat(dir.resolve("pulse.messages.jsonl")).exists();
        assertThat(dir.resolve("pulse.clicks.jsonl")).exists();
        assertThat(dir.resolve("pulse.orders.jsonl")).exists();
        assertThat(GroundTruth.readJson(dir.resolve("truth.json")).seed()).isEqualTo(5);
    }

    @Test
    void shouldReportOneLineAndExitOneWhenOutputCannotBeWritten(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        assertThat(run("--out", file.toString(), "--communities", "2", "--members", "20", "--events", "100")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("pulse generate: ").doesNotContain("\n");
    }

    @Test
    void shouldHoldRecordsUntilEventTimeIsDueWhenPacedBySpeed() {
        long[] now = {1_000};
        GeneratorCli.Pacer p = new GeneratorCli.Pacer(1000, 0, () -> now[0]);
        assertThat(p.dueNanos(record(5_000))).isZero();
        // 1,000 event-time ms per wall ms: 2 s of event time is due after 2 ms.
        assertThat(p.dueNanos(record(7_000))).isEqualTo(2_000_000L);
    }

    @Test
    void shouldSpaceRecordsEvenlyWhenPacedByRate() {
        GeneratorCli.Pacer p = new GeneratorCli.Pacer(0, 100, () -> 0L);
        assertThat(p.dueNanos(record(1))).isZero();
        assertThat(p.dueNanos(record(1))).isEqualTo(10_000_000L);
        assertThat(p.dueNanos(record(1))).isEqualTo(20_000_000L);
    }

    private static GeneratedRecord record(long ts) {
        return new GeneratedRecord("pulse.messages", new byte[0], new byte[0], ts, GeneratedRecord.Kind.GOOD, "e");
    }
}
