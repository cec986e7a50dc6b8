package com.communitypulse.connectors.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher the demo uses: a real Prometheus with a written local config, and nothing left behind. */
class PrometheusLauncherITCase {

    @Test
    void shouldServeTheRepositoryRulesAndLeaveNothingBehindWhenStartedWithALocalConfig(@TempDir Path tmp) throws Exception {
        assumeTrue(PrometheusLauncher.binary().isPresent() && PrometheusLauncher.promtool().isPresent(),
                "prometheus/promtool not on PATH: install the Debian package 'prometheus' to run this test");
        int port = PrometheusLauncher.freePort();
        Path config = PrometheusLauncher.writeLocalConfig(tmp.resolve("prometheus.yml"), RepoFiles.root().resolve("dashboards/prometheus/rules.yml"),
                Map.of("prometheus", "127.0.0.1:" + port, "flink", "127.0.0.1:1", "pulse-exporter", "127.0.0.1:2"));
        Process check = new ProcessBuilder(PrometheusLauncher.promtool().orElseThrow().toString(), "check", "config", config.toString())
                .redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0).as(out).isTrue();

        PrometheusLauncher prom = PrometheusLauncher.start(config, port);
        Path log = prom.logFile();
        try (prom) {
            String rules = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(prom.url() + "/api/v1/rules")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(rules).contains("PulseNoCheckpoint", "PulseDataStale");
        }
        assertThat(prom.isAlive()).isFalse();
        assertThat(Files.exists(log)).isFalse();
    }

    @Test
    void shouldNameTheMissingConfigWhenItDoesNotExist(@TempDir Path tmp) {
        assumeTrue(PrometheusLauncher.binary().isPresent(), "prometheus not on PATH");
        assertThatThrownBy(() -> PrometheusLauncher.start(tmp.resolve("nope.yml"), 0))
                .isInstanceOf(IOException.class).hasMessageContaining("nope.yml");
    }
}
