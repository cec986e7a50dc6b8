package com.communitypulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of {@code pulse bench}: a tiny data set through every phase (real broker, full job,
 * baseline job, SQL peer, latency mode, file mode) and the report. No timing assertions: this machine's
 * figures are not a contract; the test checks that each phase ran and reported.
 */
class BenchSmokeITCase {

    @Test
    void shouldRunEveryPhaseAndPrintTheTableWhenGivenATinyDataSet(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        // Captured for the assertions and echoed, so that a failing run shows how far it got.
        PrintStream out = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                buf.write(b);
                System.out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buf.write(b, off, len);
                System.out.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        Path report = tmp.resolve("bench.md");

        int code = BenchCli.run(new String[] {"--preset", "ci", "--events", "5000", "--members", "500", "--communities", "10",
                "--days", "1", "--latency-seconds", "5", "--latency-rate", "500", "--checkpoint.interval", "2s",
                "--work", tmp.resolve("work").toString(), "--report", report.toString()}, out, out);

        String printed = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        assertThat(printed).doesNotContain("FAILED")
                .contains("full job: drain rate", "baseline job: drain rate", "full / baseline", "full: checkpoints", "full: state",
                        "full: memory", "task: Deduplicate",
                        "full job, cold JVM (warm-up run)", "baseline job, cold JVM (warm-up run)",
                        "SQL peer job: drain rate", "full / SQL peer", "SQL peer job, cold JVM (warm-up run)", "SQL peer: checkpoints",
                        "optimised plan: ", "GlobalWindowAggregate", "full job: CPU cost without JIT",
                        "measured after a warm-up drain of each job",
                        "full: live state", "every record processed; a checkpoint committed the last outputs", "latency: → alert readable", "latency: → 1-min metric readable", "file mode (pulse process)");
        assertThat(Files.readString(report)).startsWith("| measure | value |").contains("| full job: drain rate |");
    }

    @Test
    void shouldParseTheDrainEndAndRejectAnUnknownOneWithOneLine() {
        assertThat(BenchCli.parse(new String[] {"--preset", "ci"}).untilFinished()).isFalse();
        assertThat(BenchCli.parse(new String[] {"--preset", "ci", "--drain-end", "finish"}).untilFinished()).isTrue();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> BenchCli.parse(new String[] {"--drain-end", "later"})))
                .hasMessage("--drain-end takes caught-up or finish (got 'later')");
    }

    @Test
    void shouldWarmUpByDefaultAndRejectAnUnknownWarmupValueWithOneLine() {
        assertThat(BenchCli.parse(new String[] {"--preset", "ci"}).warmup()).isTrue();
        assertThat(BenchCli.parse(new String[] {"--preset", "ci", "--warmup", "off"}).warmup()).isFalse();
        assertThat(BenchCli.parse(new String[] {"--preset", "ci", "--warmup", "3"}).warmups()).isEqualTo(3);
        assertThat(BenchCli.parse(new String[] {"--preset", "ci", "--warmup", "on"}).warmups()).isEqualTo(1);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> BenchCli.parse(new String[] {"--warmup", "twice"})))
                .hasMessage("--warmup takes on, off or a number of warm-up drains per job from 0 to 5 (got 'twice')");
    }

    @Test
    void shouldRejectAnUnknownPresetWithOneLine() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> BenchCli.parse(new String[] {"--preset", "huge"})))
                .hasMessageContaining("--preset must be one of ci, small, medium, full");
    }
}
