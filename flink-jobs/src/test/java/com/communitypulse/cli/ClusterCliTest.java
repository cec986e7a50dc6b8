package com.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User mistakes with {@code pulse cluster}: exit 2 and one line that names the fix, before any process starts. */
class ClusterCliTest {
    @TempDir Path tmp;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PulseCli.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldNameTheSubcommandsWhenSubcommandIsUnknown() {
        Result r = run("cluster", "launch");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("pulse cluster: unknown subcommand 'launch': use start, submit or stop (see pulse cluster --help)\n");
    }

    @Test
    void shouldPointJobOptionsToSubmitWhenStartGetsOne() {
        Result r = run("cluster", "start", "--kafka.bootstrap-servers", "x:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("pulse cluster: unknown option --kafka.bootstrap-servers for 'cluster start'")
                .contains("job options go to 'pulse cluster submit'").hasLineCount(1);
    }

    @Test
    void shouldRejectOutOfRangeTaskManagerCount() {
        Result r = run("cluster", "start", "--dir", tmp.toString(), "--taskmanagers", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("pulse cluster: --taskmanagers must be a whole number from 1 to 16, got '0'\n");
    }

    @Test
    void shouldSuggestStartingClusterWhenSubmittingWithoutOne() {
        Result r = run("cluster", "submit", "--dir", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no running cluster recorded in").contains("pulse cluster start").hasLineCount(1);
    }

    @Test
    void shouldRejectUnknownJobOptionOnSubmit() {
        Result r = run("cluster", "submit", "--dir", tmp.toString(), "--paralelism", "2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("pulse cluster: unknown option --paralelism: did you mean --parallelism?\n");
    }

    @Test
    void shouldNameTheBuildWhenJobJarIsMissing() {
        Result r = run("cluster", "submit", "--rest", "http://127.0.0.1:1", "--jar", tmp.resolve("x.jar").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("job jar").contains("does not exist").hasLineCount(1);
    }

    @Test
    void shouldSaySoWhenStoppingWithoutCluster() {
        Result r = run("cluster", "stop", "--dir", tmp.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("no running cluster recorded in");
    }

    @Test
    void shouldReadFlatFlinkConfLinesForTheClustersConfigYaml() throws Exception {
        Path f = tmp.resolve("flink.yaml");
        java.nio.file.Files.writeString(f, "# ops settings\nexecution.checkpointing.dir: file:///ops/cp\n\nexecution.checkpointing.interval: \"30 s\"\n"
                + "env.java.opts.all: -Da=b: c\n");
        assertThat(ClusterCli.flinkConf(f)).containsExactly(java.util.Map.entry("execution.checkpointing.dir", "file:///ops/cp"),
                java.util.Map.entry("execution.checkpointing.interval", "30 s"), java.util.Map.entry("env.java.opts.all", "-Da=b: c"));
    }

    @Test
    void shouldNameTheLineWhenFlinkConfIsNotFlatOrMissing() throws Exception {
        Path f = tmp.resolve("nested.yaml");
        java.nio.file.Files.writeString(f, "execution.checkpointing.dir: file:///ops/cp\nexecution:\n  checkpointing:\n");
        Result r = run("cluster", "start", "--dir", tmp.toString(), "--flink-conf", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("pulse cluster: --flink-conf " + f + " line 2 is not 'key: value' (nested YAML is not read): write e.g."
                + " execution.checkpointing.interval: 30 s\n");
        Result missing = run("cluster", "start", "--dir", tmp.toString(), "--flink-conf", tmp.resolve("nope.yaml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("pulse cluster: --flink-conf " + tmp.resolve("nope.yaml") + " does not exist: pass a file of 'key: value' lines\n");
    }
}
