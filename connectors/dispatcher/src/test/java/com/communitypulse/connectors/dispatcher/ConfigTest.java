package com.communitypulse.connectors.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.flags.UsageException;
import com.communitypulse.connectors.dispatcher.config.ConfigLoader;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String EXAMPLE = """
            kafka:
              bootstrap_servers: 127.0.0.1:9092
            secrets_file: secrets.properties
            channels:
              crm:
                type: webhook
                url: ${env:CRM_URL}
                secret: ${env:CRM_SECRET}
              mods-wecom:
                type: wecom
                url: ${secret:wecom.url}
                rate_limit: {max_messages: 20, window_seconds: 60}
              mods-ding:
                type: dingtalk
                url: https://oapi.dingtalk.com/robot/send?access_token=literal-token-123
                secret: SEC-literal-signing-secret
            routes:
              default:
                - channel: crm
                - channel: mods-wecom
                  types: [NEGATIVE_SPIKE, CHURN_SPIKE]
                  min_severity: warning
              communities:
                vip:
                  - channel: mods-ding
                    min_severity: critical
            """;

    @TempDir Path tmp;

    @Test
    void shouldRouteByCommunityTypeAndSeverity() {
        Routing r = new Routing(ConfigLoader.parse(EXAMPLE, "test").validate().routes);
        assertThat(r.channelsFor(alert("c1", "NEGATIVE_SPIKE", "critical"))).containsExactly("crm", "mods-wecom");
        assertThat(r.channelsFor(alert("c1", "NEGATIVE_SPIKE", "info"))).containsExactly("crm");
        assertThat(r.channelsFor(alert("c1", "MEMBER_AT_RISK", "critical"))).containsExactly("crm");
        // A community with its own rules uses only them.
        assertThat(r.channelsFor(alert("vip", "NEGATIVE_SPIKE", "critical"))).containsExactly("mods-ding");
        assertThat(r.channelsFor(alert("vip", "NEGATIVE_SPIKE", "warning"))).isEmpty();
        // An unknown severity is never filtered out.
        assertThat(r.channelsFor(alert("vip", "NEGATIVE_SPIKE", "sev0"))).containsExactly("mods-ding");
    }

    @Test
    void shouldResolveSecretsFromEnvironmentAndFileAndMaskThem() throws Exception {
        Files.writeString(tmp.resolve("secrets.properties"), "wecom.url=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-123456\n");
        Path cfgFile = tmp.resolve("dispatcher.yaml");
        Files.writeString(cfgFile, EXAMPLE);
        DispatcherConfig cfg = ConfigLoader.load(cfgFile).validate();
        SecretResolver s = new SecretResolver(Map.of("CRM_URL", "https://crm.example/hook?token=t-999", "CRM_SECRET", WEBHOOK_SECRET)::get,
                Path.of(cfg.secretsFile));
        assertThat(s.resolve("channels.mods-wecom.url", cfg.channels.get("mods-wecom").url)).endsWith("key=k-123456");
        assertThat(s.resolve("channels.crm.url", cfg.channels.get("crm").url)).isEqualTo("https://crm.example/hook?token=t-999");
        assertThat(s.mask("POST https://crm.example/hook?token=t-999 failed")).isEqualTo("POST **** failed");

        String dump = ConfigLoader.describeMasked(cfg);
        assertThat(dump).contains("${env:CRM_URL}", "${secret:wecom.url}", "****")
                .doesNotContain("literal-token-123", "SEC-literal-signing-secret", "k-123456");
    }

    @Test
    void shouldAcceptTheDocumentedExampleConfig() {
        DispatcherConfig cfg = ConfigLoader.load(Path.of("dispatcher.example.yaml")).validate();
        assertThat(cfg.channels).containsOnlyKeys("crm", "mods-wecom", "mods-dingtalk", "mods-slack");
        assertThat(cfg.secretsFile).endsWith("secrets.properties");
        assertThat(new Routing(cfg.routes).channelsFor(alert("brand-vip", "NEGATIVE_SPIKE", "critical")))
                .containsExactly("crm", "mods-dingtalk", "mods-slack");
    }

    @Test
    void shouldNameTheMissingEnvironmentVariable() {
        SecretResolver s = new SecretResolver(Map.<String, String>of()::get, null);
        assertThatThrownBy(() -> s.resolve("channels.crm.url", "${env:CRM_URL}"))
                .isInstanceOf(UsageException.class)
                .hasMessage("channels.crm.url: environment variable CRM_URL is not set: export it before starting the dispatcher");
        assertThatThrownBy(() -> s.resolve("channels.x.url", "${secret:x}")).hasMessageContaining("no secrets_file is configured");
    }

    @Test
    void shouldRejectATypoWithThePathOfTheSetting() {
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("min_severity: critical", "min_severty: critical"), "d.yaml"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("routes.communities.vip[0]")
                .hasMessageContaining("min_severty");
    }

    @Test
    void shouldRejectInvalidSettingsWithTheFix() {
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("- channel: crm", "- channel: crn"), "t").validate())
                .hasMessageContaining("routes.default[0].channel 'crn' is not a configured channel");
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("types: [NEGATIVE_SPIKE", "types: [NEG_SPIKE"), "t").validate())
                .hasMessageContaining("unknown alert type 'NEG_SPIKE'");
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("    secret: ${env:CRM_SECRET}\n", ""), "t").validate())
                .hasMessageContaining("channels.crm.secret is missing");
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("bootstrap_servers: 127.0.0.1:9092", "group_id: g"), "t").validate())
                .hasMessageContaining("--bootstrap-servers");
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("max_messages: 20", "max_messages: 0"), "t").validate())
                .hasMessage("channels.mods-wecom.rate_limit.max_messages must be > 0 (got 0)");
    }

    private static Alert alert(String community, String type, String severity) {
        return new Alert("a1", type, severity, community, null, 0, 0, null,
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode(), null);
    }
}
