package com.communitypulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pulse --version} and {@code pulse config}: what they print, and one-line errors with exit 2. */
class PulseCliTest {
    @TempDir Path tmp;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PulseCli.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result config(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = PulseCli.config(args, new PrintStream(out, true, StandardCharsets.UTF_8), env);
        return new Result(code, out.toString(StandardCharsets.UTF_8), "");
    }

    /** The project version as Maven knows it, read from the pom independently of the CLI. */
    private static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        int artifact = pom.indexOf("<artifactId>community-pulse</artifactId>");
        int start = pom.indexOf("<version>", artifact) + "<version>".length();
        return pom.substring(start, pom.indexOf("</version>", start));
    }

    @Test
    void shouldPrintTheMavenVersionOnVersion() throws IOException {
        Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("community-pulse " + pomVersion() + " (Flink 2.2").contains("Kafka clients ", "Java ").hasLineCount(1);
        assertThat(run("-V").out()).isEqualTo(r.out());
        try (InputStream in = PulseCli.class.getResourceAsStream("/pulse-version.properties")) {
            Properties p = new Properties();
            p.load(in);
            assertThat(p.getProperty("version")).as("filtered by Maven").isEqualTo(pomVersion());
        }
    }

    @Test
    void shouldPrintTheEffectiveConfigurationOfTheGivenFlagsFileAndEnvironmentMarkingWhatIsSet() throws IOException {
        Path file = tmp.resolve("pulse.properties");
        Files.writeString(file, "metrics.window=5m\nparallelism=3\n");
        Result r = config(Map.of("PULSE_KAFKA_BOOTSTRAP_SERVERS", "env-broker:9092"),
                "--config", file.toString(), "--parallelism=4", "--checkpoint.dir", "s3://b/cp");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("kafka.bootstrap-servers = env-broker:9092   # set\n", "metrics.window = 5m   # set\n",
                "parallelism = 4   # set\n", "checkpoint.dir = s3://b/cp   # set\n", "checkpoint.interval = 10s\n",
                "# secret privacy key: (not set)\n");
    }

    @Test
    void shouldNeverPrintASecretOnlyWhereItComesFrom() {
        Result r = config(Map.of("PULSE_PRIVACY_KEY", "Zm9vYmFyLXNlY3JldC1rZXktMzItYnl0ZXMtbG9uZyE=", "PULSE_KAFKA_SASL_PASSWORD", "hunter2-sasl"),
                "--kafka.ssl.truststore-password-file", "/run/secrets/ts");
        assertThat(r.code()).isZero();
        assertThat(r.out()).doesNotContain("Zm9vYmFy", "hunter2-sasl")
                .contains("# secret privacy key: ****** (environment PULSE_PRIVACY_KEY)\n",
                        "# secret kafka sasl password: ****** (environment PULSE_KAFKA_SASL_PASSWORD)\n",
                        "# secret kafka truststore password: ****** (file /run/secrets/ts)\n");
    }

    @Test
    void shouldPrintHelpForConfigAndTheMarkdownTable() {
        Result help = run("config", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: pulse config [--markdown] [job options]");
        Result md = run("config", "--markdown");
        assertThat(md.code()).isZero();
        assertThat(md.out()).startsWith("| key | default | description |").contains("| `checkpoint.dir` |");
    }

    @Test
    void shouldRejectABogusFlagOrValueInOneLineWithExitTwo() {
        Result r = run("config", "--bogus", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("pulse config: unknown option --bogus: see --help for the list\n");
        Result typo = run("config", "--metrics.windw", "5m");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).isEqualTo("pulse config: unknown option --metrics.windw: did you mean --metrics.window?\n");
        Result twice = run("config", "--parallelism", "2", "--parallelism=3");
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).isEqualTo("pulse config: --parallelism given twice: give it once\n");
        Result missing = run("config", "--metrics.window");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("pulse config: --metrics.window needs a value: --metrics.window=VALUE or --metrics.window VALUE\n");
        Result v = run("config", "--metrics.window=7m");
        assertThat(v.code()).isEqualTo(2);
        assertThat(v.err()).startsWith("pulse config: metrics.window (7m) must divide a day evenly").hasLineCount(1);
        Result m = run("config", "--markdown", "--parallelism", "2");
        assertThat(m.code()).isEqualTo(2);
        assertThat(m.err()).hasLineCount(1).contains("--markdown prints the defaults and takes no job options");
    }
}
