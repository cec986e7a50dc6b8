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
        assertThat(cfg.channels).containsOnlyKeys("crm", "mods-wecom", "mods-dingtalk", "mods-feishu", "mods-slack");
        assertThat(cfg.secretsFile).endsWith("secrets.properties");
        assertThat(cfg.timeZone).isEqualTo("Asia/Shanghai");
        assertThat(cfg.directory).endsWith("directory.example.yaml");
        var dir = com.communitypulse.connectors.dispatcher.config.Directory.load(Path.of(cfg.directory));
        assertThat(dir.communityName("brand-vip")).isEqualTo("品牌 VIP 会员群");
        assertThat(dir.moderators("brand-vip", "dingtalk")).containsExactly("manager4821");
        assertThat(cfg.channels.get("mods-dingtalk").keyword).isEqualTo("社群告警");
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

    @Test
    void shouldDefaultTheMessageSettingsPerChannelType() {
        DispatcherConfig cfg = ConfigLoader.parse(EXAMPLE, "t");
        cfg.channels.put("slack", channel("slack", null));
        cfg.validate();
        assertThat(cfg.timeZone).isEqualTo("Asia/Shanghai");
        assertThat(cfg.channels.get("mods-wecom").localeOrDefault()).isEqualTo("zh-CN");
        assertThat(cfg.channels.get("mods-ding").localeOrDefault()).isEqualTo("zh-CN");
        assertThat(cfg.channels.get("slack").localeOrDefault()).isEqualTo("en");
        assertThat(channel("feishu", null).localeOrDefault()).isEqualTo("zh-CN");
    }

    @Test
    void shouldRejectBadMessageSettingsWithTheFix() {
        assertThatThrownBy(() -> ConfigLoader.parse("time_zone: Asia/Shang-hai\n" + EXAMPLE, "t").validate())
                .hasMessage("time_zone 'Asia/Shang-hai' is not a time zone: use a zone id such as Asia/Shanghai or UTC");
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("    type: wecom\n", "    type: wecom\n    locale: zh-TW\n"), "t").validate())
                .hasMessage("channels.mods-wecom.locale 'zh-TW' is not supported: use one of [zh-CN, en]");
        assertThatThrownBy(() -> ConfigLoader.parse("link_template: https://c.example/{{alert}}\n" + EXAMPLE, "t").validate())
                .hasMessageStartingWith("template link_template uses unknown field {{alert}}: use one of");
        assertThatThrownBy(() -> ConfigLoader.parse("link_template: console/{{alert_id}}\n" + EXAMPLE, "t").validate())
                .hasMessage("link_template must be an http(s) URL, e.g. https://console.example/alerts/{{alert_id}}");
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("    type: webhook\n", "    type: webhook\n    keyword: x\n"), "t").validate())
                .hasMessage("channels.crm.keyword is not used by webhook channels (their body carries the alert record): remove it");
        assertThatThrownBy(() -> ConfigLoader.parse("directory: /nonexistent/dir.yaml\n" + EXAMPLE, "t").validate())
                .hasMessageStartingWith("directory /nonexistent/dir.yaml does not exist or cannot be read: fix the path");
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("    type: wecom\n", "    type: wecom\n    template: nope.md\n"), "t").validate())
                .hasMessageStartingWith("channels.mods-wecom.template nope.md does not exist or cannot be read");
        assertThatThrownBy(() -> ConfigLoader.parse(EXAMPLE.replace("    type: wecom\n", "    type: feishu-x\n"), "t").validate())
                .hasMessage("channels.mods-wecom.type must be one of [webhook, wecom, dingtalk, feishu, slack]");
    }

    @Test
    void shouldResolveTheDirectoryAndTemplatesAgainstTheConfigFileAndCheckTheDirectory() throws Exception {
        Files.writeString(tmp.resolve("dir.yaml"), "communities:\n  c1:\n    moderators: {wechat: [x]}\n");
        Files.writeString(tmp.resolve("wecom.md"), "**{{headline}}** {{nope}}\n");
        Path cfgFile = tmp.resolve("dispatcher.yaml");
        Files.writeString(cfgFile, "directory: dir.yaml\n" + EXAMPLE.replace("    type: wecom\n", "    type: wecom\n    template: wecom.md\n"));
        DispatcherConfig cfg = ConfigLoader.load(cfgFile).validate();
        assertThat(cfg.directory).isEqualTo(tmp.resolve("dir.yaml").toString());
        assertThat(cfg.channels.get("mods-wecom").template).isEqualTo(tmp.resolve("wecom.md").toString());
        assertThatThrownBy(() -> com.communitypulse.connectors.dispatcher.config.Directory.load(Path.of(cfg.directory)))
                .hasMessageContaining("communities.c1.moderators.wechat is not a chat channel type that mentions: use [wecom, dingtalk, feishu, slack]");
        Files.writeString(tmp.resolve("secrets.properties"), "wecom.url=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k\n");
        SecretResolver s = new SecretResolver(Map.of("CRM_URL", "https://crm.example/h", "CRM_SECRET", WEBHOOK_SECRET)::get, Path.of(cfg.secretsFile));
        assertThatThrownBy(() -> com.communitypulse.connectors.dispatcher.channel.Channels.create("mods-wecom", cfg.channels.get("mods-wecom"), s,
                java.time.Duration.ofSeconds(1), new com.fasterxml.jackson.databind.ObjectMapper()))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("channels.mods-wecom: template " + tmp.resolve("wecom.md") + " uses unknown field {{nope}}");
    }

    private static DispatcherConfig.ChannelConfig channel(String type, String locale) {
        DispatcherConfig.ChannelConfig c = new DispatcherConfig.ChannelConfig();
        c.type = type;
        c.url = "https://example.invalid/x";
        c.locale = locale;
        return c;
    }

    private static Alert alert(String community, String type, String severity) {
        return new Alert("a1", type, severity, community, null, 0, 0, null,
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode(), null);
    }
}
