package com.communitypulse.connectors.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DispatcherMainTest {

    @TempDir Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return DispatcherMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
    }

    @Test
    void shouldPrintHelpAndExitZero() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: pulse dispatcher --config FILE").contains("--check", "${env:NAME}");
    }

    @Test
    void shouldRejectAnUnknownFlagInOneLine() {
        assertThat(run(Map.of(), "--confg", "x.yaml")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pulse dispatcher: unknown option --confg: did you mean --config?" + System.lineSeparator());
    }

    @Test
    void shouldNameTheFixWhenConfigIsMissingOrAbsent() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err.toString()).contains("--config FILE is required");
        err.reset();
        assertThat(run(Map.of(), "--config", tmp.resolve("nope.yaml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist").doesNotContain("Exception").hasLineCount(1);
        err.reset();
        assertThat(run(Map.of(), "--config", "x", "--metrics-port", "ninety")).isEqualTo(2);
        assertThat(err.toString()).contains("--metrics-port 'ninety' is not a number");
    }

    @Test
    void shouldReportAMissingSecretInOneLineWithoutStackTrace() throws Exception {
        Path cfg = tmp.resolve("d.yaml");
        Files.writeString(cfg, ConfigTest.EXAMPLE.replace("secrets_file: secrets.properties\n", ""));
        assertThat(run(Map.of(), "--config", cfg.toString(), "--check")).isEqualTo(2);
        assertThat(err.toString()).hasLineCount(1)
                .contains("environment variable CRM_URL is not set: export it");
    }

    @Test
    void shouldCheckConfigAndPrintItWithSecretsMasked() throws Exception {
        Path cfg = tmp.resolve("d.yaml");
        Files.writeString(cfg, ConfigTest.EXAMPLE);
        Files.writeString(tmp.resolve("secrets.properties"), "wecom.url=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wk-777\n");
        int code = run(Map.of("CRM_URL", "https://crm.example/h?token=env-token-1", "CRM_SECRET", ConfigTest.WEBHOOK_SECRET),
                "--config", cfg.toString(), "--check", "--bootstrap-servers", "kafka:9092");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("bootstrap_servers: \"kafka:9092\"", "config OK: 3 channel(s)")
                .doesNotContain("env-token-1", "wk-777", "literal-token-123", "SEC-literal-signing-secret", "MfKQ9r8");
    }

    @Test
    void shouldRejectABadWebhookSecretNamingTheFix() throws Exception {
        Path cfg = tmp.resolve("d.yaml");
        Files.writeString(cfg, ConfigTest.EXAMPLE);
        Files.writeString(tmp.resolve("secrets.properties"), "wecom.url=https://qyapi.weixin.qq.com/x?key=1\n");
        assertThat(run(Map.of("CRM_URL", "https://crm.example/h", "CRM_SECRET", "hunter2"), "--config", cfg.toString(), "--check")).isEqualTo(2);
        assertThat(err.toString()).contains("channels.crm.secret").contains("whsec_").doesNotContain("hunter2");
    }

    private Path checkableConfig() throws Exception {
        Path cfg = tmp.resolve("d.yaml");
        Files.writeString(cfg, ConfigTest.EXAMPLE);
        Files.writeString(tmp.resolve("secrets.properties"), "wecom.url=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wk-777\n");
        return cfg;
    }

    private static final Map<String, String> ENV = Map.of("CRM_URL", "https://crm.example/h?token=env-token-1", "CRM_SECRET", ConfigTest.WEBHOOK_SECRET);

    @Test
    void shouldTakeTheJobsFlagNamesInBothFormsLikeEveryOtherCommand() throws Exception {
        Path cfg = checkableConfig();
        int code = run(ENV, "--config=" + cfg, "--check", "--kafka.bootstrap-servers=kafka-a:9092", "--kafka.group-id", "ops-dispatch",
                "--metrics-port=0");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("bootstrap_servers: \"kafka-a:9092\"", "group_id: \"ops-dispatch\"", "config OK: 3 channel(s)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldKeepTheOldFlagNamesAsDeprecatedAliasesSayingWhichToUse() throws Exception {
        Path cfg = checkableConfig();
        assertThat(run(ENV, "--config", cfg.toString(), "--check", "--bootstrap-servers=kafka-b:9092", "--group-id", "old-group")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("bootstrap_servers: \"kafka-b:9092\"", "group_id: \"old-group\"");
        assertThat(err.toString()).isEqualTo("pulse dispatcher: --bootstrap-servers is deprecated: use --kafka.bootstrap-servers" + System.lineSeparator()
                + "pulse dispatcher: --group-id is deprecated: use --kafka.group-id" + System.lineSeparator());
    }

    @Test
    void shouldRejectAnEmptyInlineValueAndAValueOnCheckInOneLine() {
        assertThat(run(Map.of(), "--config=")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pulse dispatcher: --config needs a value: --config=VALUE or --config VALUE" + System.lineSeparator());
        err.reset();
        assertThat(run(Map.of(), "--check=yes")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pulse dispatcher: --check takes no value: pass --check alone" + System.lineSeparator());
        err.reset();
        assertThat(run(Map.of(), "--kafka.bootstrap=x")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pulse dispatcher: unknown option --kafka.bootstrap: did you mean --kafka.bootstrap-servers?" + System.lineSeparator());
        err.reset();
        assertThat(run(Map.of(), "--frobnicate")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pulse dispatcher: unknown option --frobnicate: use --config, --kafka.bootstrap-servers, --bootstrap-servers,"
                + " --kafka.group-id, --group-id, --metrics-host, --metrics-port or --check" + System.lineSeparator());
        err.reset();
        assertThat(run(Map.of(), "--config", "a.yaml", "--config", "b.yaml")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pulse dispatcher: --config given twice: give it once" + System.lineSeparator());
    }
}
