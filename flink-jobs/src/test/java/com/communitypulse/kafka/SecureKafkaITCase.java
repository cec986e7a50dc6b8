package com.communitypulse.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.cli.PulseCli;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseJob;
import com.communitypulse.testutils.KafkaRuns;
import com.communitypulse.testutils.LogCapture;
import com.communitypulse.testutils.Outputs;
import com.communitypulse.testutils.TeeStream;
import com.communitypulse.testutils.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against a real broker whose client listener is SASL_SSL with SCRAM on loopback
 * (generated certificate): with the right credentials it reads, processes and writes exactly-once
 * through TLS; with a wrong password {@code pulse run} stops before submitting, in one line, within
 * seconds; and neither password appears in anything printed or logged.
 */
class SecureKafkaITCase {
    @TempDir
    static Path tmp;

    @Test
    void shouldRunOverSaslSslWithRightCredentialsAndFailFastInOneLineWithWrongOnes() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        String wrong = "wrong-" + UUID.randomUUID();
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        Path pwFile = Files.writeString(secrets.resolve("kafka.password"), password + "\n");
        Path wrongFile = Files.writeString(secrets.resolve("wrong.password"), wrong + "\n");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        String logs;
        try (LogCapture capture = new LogCapture();
             KafkaBroker broker = KafkaBroker.builder().saslSsl("pulse", password).start()) {
            System.setOut(new PrintStream(new TeeStream(printed, stdout), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new TeeStream(printed, stderr), true, StandardCharsets.UTF_8));
            Path tsPw = Files.writeString(secrets.resolve("truststore.password"), broker.truststorePassword());
            Map<String, String> secure = new LinkedHashMap<>();
            secure.put("kafka.bootstrap-servers", broker.saslSslBootstrapServers());
            secure.put("kafka.security.protocol", "SASL_SSL");
            secure.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
            secure.put("kafka.sasl.username", "pulse");
            secure.put("kafka.sasl.password-file", pwFile.toString());
            secure.put("kafka.ssl.truststore", broker.truststore().toString());
            secure.put("kafka.ssl.truststore-password-file", tsPw.toString());
            secure.put("privacy.key-file", TestKeys.file(tmp.resolve("keys")));
            secure.put("metrics.prometheus-port", "0");
            secure.put("web.port", "0");
            secure.put("checkpoint.interval", "2s");
            secure.put("checkpoint.dir", tmp.resolve("cp").toUri().toString());
            secure.put("kafka.bounded", "true");
            secure.put("kafka.group-id", "secure-it");
            PulseConfig cfg = PulseConfig.of(secure);

            Map<String, Integer> topics = new LinkedHashMap<>();
            KafkaRuns.INPUTS.forEach(t -> topics.put(t, 1));
            KafkaRuns.OUTPUTS.forEach(t -> topics.put(t, 1));
            broker.createTopics(topics, OutputTopic.topicConfigs(cfg));
            GeneratorConfig gen = GeneratorConfig.builder().seed(11).communities(5).members(200).days(1).eventsTarget(3_000).build();
            long produced = KafkaRuns.produce(KafkaConnections.clientProperties(cfg), gen);

            long t0 = System.nanoTime();
            PulseJob.startLocalKafka(cfg, false).getJobExecutionResult().get(3, TimeUnit.MINUTES);
            double runS = (System.nanoTime() - t0) / 1e9;
            Outputs out = KafkaRuns.readCommitted(KafkaConnections.clientProperties(cfg));
            assertThat(out.topic("pulse.metrics")).isNotEmpty();
            assertThat(out.topic("pulse.lifecycle")).isNotEmpty();

            // SCRAM-SHA-256 works too (the fixture creates the user for both mechanisms).
            PulseJob.preflight(cfg.with("kafka.sasl.mechanism", "SCRAM-SHA-256"));

            List<String> args = new ArrayList<>(List.of("run"));
            cfg.with("kafka.sasl.password-file", wrongFile.toString()).overrides().forEach((k, v) -> {
                args.add("--" + k);
                args.add(v);
            });
            ByteArrayOutputStream cliOut = new ByteArrayOutputStream();
            ByteArrayOutputStream cliErr = new ByteArrayOutputStream();
            long t1 = System.nanoTime();
            int code = PulseCli.run(args.toArray(new String[0]), new ByteArrayInputStream(new byte[0]),
                    new PrintStream(cliOut, true, StandardCharsets.UTF_8), new PrintStream(cliErr, true, StandardCharsets.UTF_8));
            double failS = (System.nanoTime() - t1) / 1e9;
            String err = cliErr.toString(StandardCharsets.UTF_8);
            System.out.printf("SecureKafkaITCase: %d records produced over SASL_SSL, job %.1f s, %d metric records; wrong password rejected in %.1f s: %s",
                    produced, runS, out.topic("pulse.metrics").size(), failS, err);
            assertThat(code).isEqualTo(2);
            assertThat(err.strip()).doesNotContain("\n")
                    .contains("rejected the credentials of user 'pulse'").contains("kafka.sasl.password-file");
            assertThat(failS).isLessThan(30);
            assertThat(cliOut.toString(StandardCharsets.UTF_8) + err).doesNotContain(wrong).doesNotContain(password);

            // Config dumps only ever name the secret files.
            assertThat(cfg.describe()).doesNotContain(password);
            logs = capture.text();
            assertThat(Files.readString(broker.logFile())).doesNotContain(password).doesNotContain(wrong);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        assertThat(logs).contains("SASL_SSL").doesNotContain(password).doesNotContain(wrong);
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain(password).doesNotContain(wrong);
    }
}
