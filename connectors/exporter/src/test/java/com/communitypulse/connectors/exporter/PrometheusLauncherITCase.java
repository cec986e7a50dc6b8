package com.communitypulse.connectors.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers the demo and the tests use: a real Prometheus with a written local config, a real
 * Alertmanager with the repository's config receiving and routing the repository's rules, and
 * nothing left behind.
 */
class PrometheusLauncherITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
    void shouldRouteAFiringRuleToItsReceiverWhenAScrapeTargetIsDown(@TempDir Path tmp) throws Exception {
        assumeTrue(PrometheusLauncher.binary().isPresent() && AlertmanagerLauncher.binary().isPresent(),
                "prometheus/alertmanager not on PATH: install the Debian packages 'prometheus' and 'prometheus-alertmanager' to run this test");
        Path amConfig = RepoFiles.root().resolve("dashboards/prometheus/alertmanager.yml");
        if (AlertmanagerLauncher.amtool().isPresent()) {
            Process check = new ProcessBuilder(AlertmanagerLauncher.amtool().orElseThrow().toString(), "check-config", amConfig.toString())
                    .redirectErrorStream(true).start();
            String out = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0).as(out).isTrue();
        }
        // The shipped rules with every `for:` cut to 1 s: the rules' own expressions and labels, no minutes of waiting.
        String rules = Files.readString(RepoFiles.root().resolve("dashboards/prometheus/rules.yml"));
        Path fastRules = Files.writeString(tmp.resolve("rules.yml"), rules.replaceAll("(?m)^(\\s+for:)\\s*\\S+$", "$1 1s"));
        assertThat(Files.readString(fastRules)).doesNotContainPattern("(?m)^\\s+for: (?!1s$)");

        try (AlertmanagerLauncher am = AlertmanagerLauncher.start(amConfig, 0)) {
            int port = PrometheusLauncher.freePort();
            // Nothing listens on ports 1 and 2: both scrape targets are down.
            Path config = PrometheusLauncher.writeLocalConfig(tmp.resolve("prometheus.yml"), fastRules,
                    Map.of("prometheus", "127.0.0.1:" + port, "flink", "127.0.0.1:1", "pulse-exporter", "127.0.0.1:2"), am.target());
            try (PrometheusLauncher prom = PrometheusLauncher.start(config, port)) {
                Map<String, JsonNode> received = new java.util.HashMap<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline && !(received.containsKey("PulseExporterDown") && received.containsKey("PulseFlinkDown"))) {
                    Thread.sleep(1000);
                    for (JsonNode a : get(am.url() + "/api/v2/alerts")) {
                        received.put(a.path("labels").path("alertname").asText(), a);
                    }
                }
                assertThat(received).as("alerts received by Alertmanager; prometheus log:\n" + prom.logTail()).containsKeys("PulseExporterDown", "PulseFlinkDown");
                assertAlert(received.get("PulseExporterDown"), "warning", "pulse-exporter", "pulse-warning");
                assertAlert(received.get("PulseFlinkDown"), "critical", "pulse-job", "pulse-critical");
            }
        }
    }

    private static void assertAlert(JsonNode a, String severity, String service, String receiver) {
        String name = a.path("labels").path("alertname").asText();
        assertThat(a.path("labels").path("severity").asText()).as(name + " severity").isEqualTo(severity);
        assertThat(a.path("labels").path("team").asText()).as(name + " team").isEqualTo("community-pulse");
        assertThat(a.path("labels").path("service").asText()).as(name + " service").isEqualTo(service);
        assertThat(a.path("annotations").path("runbook_url").asText()).as(name + " runbook").isEqualTo("docs/RUNBOOK.md#" + name.toLowerCase());
        assertThat(a.path("status").path("state").asText()).as(name + " state").isEqualTo("active");
        List<String> receivers = new ArrayList<>();
        a.path("receivers").forEach(r -> receivers.add(r.path("name").asText()));
        assertThat(receivers).as(name + " routed to").containsExactly(receiver);
    }

    private static JsonNode get(String url) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void shouldNameTheMissingConfigWhenItDoesNotExist(@TempDir Path tmp) {
        assumeTrue(PrometheusLauncher.binary().isPresent(), "prometheus not on PATH");
        assertThatThrownBy(() -> PrometheusLauncher.start(tmp.resolve("nope.yml"), 0))
                .isInstanceOf(IOException.class).hasMessageContaining("nope.yml");
    }
}
