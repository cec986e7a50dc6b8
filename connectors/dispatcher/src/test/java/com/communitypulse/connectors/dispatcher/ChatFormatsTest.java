package com.communitypulse.connectors.dispatcher;

import static com.communitypulse.connectors.dispatcher.testutils.TestAlerts.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.connectors.dispatcher.channel.Channel;
import com.communitypulse.connectors.dispatcher.channel.Channels;
import com.communitypulse.connectors.dispatcher.channel.Message;
import com.communitypulse.connectors.dispatcher.channel.Outcome;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig.ChannelConfig;
import com.communitypulse.connectors.dispatcher.config.Directory;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import com.communitypulse.connectors.dispatcher.testutils.ChatServiceReceiver;
import com.communitypulse.connectors.dispatcher.testutils.TestAlerts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each chat format, rendered from its template in zh-CN or en, sent to {@link ChatServiceReceiver},
 * which checks it the way WeCom, DingTalk, Slack and Feishu document their webhooks.
 */
class ChatFormatsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String LINK = "https://console.example/alerts/{{alert_id}}?community={{community_id}}";
    static final Directory DIRECTORY = Directory.parse("""
            communities:
              c42:
                name: 上海宝妈团购群
                members: {u7: 王小明}
                moderators:
                  wecom: [zhangsan, lisi]
                  dingtalk: [manager4821]
                  feishu: [ou_7d8a6e6df7621556ce0d21922b676706]
                  slack: [U024BE7LH]
                moderator_mobiles:
                  dingtalk: ["13800000000"]
            members: {u9: 李雷}
            """, "test-directory.yaml");

    private final ChatServiceReceiver receiver = new ChatServiceReceiver();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    @TempDir Path tmp;

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void weComMarkdownInChineseWithNamesBeijingTimeLinkAndInlineMentions() throws Exception {
        ObjectNode alert = TestAlerts.negativeMessage("a0000000000000000000000000000001", "c42", "u7", BEGINNING);
        ((ObjectNode) alert.get("evidence")).put("summary", "“退货”出现在否定句中，得分 -0.82");
        Outcome o = send(channel("wecom", "/wecom?key=k1", null, null, null, SHANGHAI, DIRECTORY, LINK), alert);

        assertThat(o).isEqualTo(Outcome.DELIVERED);
        ChatServiceReceiver.Received r = receiver.last();
        assertThat(r.problems()).isEmpty();
        assertThat(r.body().get("msgtype").asText()).isEqualTo("markdown");
        String content = r.body().at("/markdown/content").asText();
        assertThat(content.split("\n")[0]).isEqualTo("**【警告】负面消息 · 上海宝妈团购群**");
        assertThat(content).contains("> 情况：一条强烈负面消息（refund, quality），得分 -0.82", "> 成员：王小明",
                "> 原因：“退货”出现在否定句中，得分 -0.82", "> 摘录：**** 退货 **** terrible", "> 命中词：退货, terrible",
                "> 时间：2024-05-01 18:00 北京时间",
                "> [在控制台处理](https://console.example/alerts/a0000000000000000000000000000001?community=c42)",
                "> 告警编号：a0000000000000000000000000000001");
        // WeCom markdown mentions inline; the last line notifies both moderators.
        assertThat(content.substring(content.lastIndexOf('\n') + 1)).isEqualTo("<@zhangsan> <@lisi>");
        assertThat(content).doesNotContain("UTC", "{{");
    }

    @Test
    void weComFallsBackToIdsAndMentionsNobodyWithoutADirectoryEntry() throws Exception {
        Outcome o = send(channel("wecom", "/wecom?key=k1", null, null, null, SHANGHAI, DIRECTORY, null),
                TestAlerts.memberAtRisk("a0000000000000000000000000000002", "c-unknown", "u-unknown", BEGINNING));
        assertThat(o).isEqualTo(Outcome.DELIVERED);
        String content = receiver.last().body().at("/markdown/content").asText();
        assertThat(content).startsWith("**【警告】成员流失风险 · c-unknown**").contains("> 成员：u-unknown")
                .doesNotContain("<@", "在控制台处理", "原因：");
        // The global member names apply in every community.
        send(channel("wecom", "/wecom?key=k1", null, null, null, SHANGHAI, DIRECTORY, null),
                TestAlerts.memberAtRisk("a0000000000000000000000000000003", "c-unknown", "u9", BEGINNING));
        assertThat(receiver.last().body().at("/markdown/content").asText()).contains("> 成员：李雷");
    }

    @Test
    void dingTalkMarkdownWithAtUserIdsMobilesKeywordAndSignature() throws Exception {
        receiver.dingKeyword = "社群告警";
        receiver.dingSecret = "SECd1ngt4lk-test-secret";
        Outcome o = send(channel("dingtalk", "/dingtalk?access_token=tok", receiver.dingSecret, "社群告警", null, SHANGHAI, DIRECTORY, LINK),
                TestAlerts.negativeSpike("b0000000000000000000000000000001", "c42", "firing", BEGINNING));

        assertThat(o).isEqualTo(Outcome.DELIVERED);
        ChatServiceReceiver.Received r = receiver.last();
        assertThat(r.problems()).isEmpty();
        JsonNode md = r.body().get("markdown");
        assertThat(md.get("title").asText()).isEqualTo("社群告警 【严重】负面情绪激增 触发 · 上海宝妈团购群");
        assertThat(md.get("text").asText()).startsWith("#### 社群告警 【严重】负面情绪激增 触发 · 上海宝妈团购群\n")
                .contains("- 情况：近 15 分钟已评分消息中 42% 为负面（120 条中 51 条，来自 23 位成员），基线 8%",
                        "- 高频词：退款 (17)", "- 时间窗口：17:45–18:00 北京时间", "- 最负面的消息：m1 来自 u9 (-0.97)".replace("u9", "李雷"),
                        "- 时间：2024-05-01 18:00 北京时间", "(https://console.example/alerts/b0000000000000000000000000000001?community=c42)")
                .endsWith("@manager4821 @13800000000");
        assertThat(r.body().at("/at/atUserIds")).hasSize(1).first().extracting(JsonNode::asText).isEqualTo("manager4821");
        assertThat(r.body().at("/at/atMobiles").get(0).asText()).isEqualTo("13800000000");
        assertThat(r.body().at("/at/isAtAll").asBoolean()).isFalse();
    }

    @Test
    void dingTalkKeywordIsAddedEvenWhenACustomTemplateLeavesItOut() throws Exception {
        receiver.dingKeyword = "社群告警";
        Path tpl = tmp.resolve("ding.md");
        Files.writeString(tpl, "### {{community}}: {{what}}\n{{mentions}}\n");
        Outcome o = send(channel("dingtalk", "/dingtalk?access_token=tok", null, "社群告警", tpl, SHANGHAI, DIRECTORY, null),
                TestAlerts.memberAtRisk("a0000000000000000000000000000004", "c42", "u7", BEGINNING));
        assertThat(o).isEqualTo(Outcome.DELIVERED);
        assertThat(receiver.last().body().at("/markdown/text").asText())
                .isEqualTo("社群告警 ### 上海宝妈团购群: 一位高价值成员已沉默，有流失风险\n@manager4821 @13800000000");

        // Without the keyword the robot refuses (errcode 310000), which is not retried.
        Outcome refused = send(channel("dingtalk", "/dingtalk?access_token=tok", null, null, null, SHANGHAI, DIRECTORY, null),
                TestAlerts.memberAtRisk("a0000000000000000000000000000005", "c42", "u7", BEGINNING));
        assertThat(refused.kind()).isEqualTo(Outcome.Kind.FAIL);
        assertThat(refused.error()).contains("310000", "keywords not in content");
    }

    @Test
    void slackBlockKitInEnglishWithHeaderSectionContextAndAButtonIntoTheConsole() throws Exception {
        Outcome o = send(channel("slack", "/slack/T0/B0/x", null, null, null, ZoneOffset.UTC, DIRECTORY, LINK),
                TestAlerts.negativeSpike("c0000000000000000000000000000001", "c42", "firing", BEGINNING));

        assertThat(o).isEqualTo(Outcome.DELIVERED);
        ChatServiceReceiver.Received r = receiver.last();
        assertThat(r.problems()).isEmpty();
        JsonNode blocks = r.body().get("blocks");
        assertThat(StreamSupport.stream(blocks.spliterator(), false).map(b -> b.get("type").asText()))
                .containsExactly("header", "section", "context", "actions");
        assertThat(blocks.at("/0/text/text").asText()).isEqualTo("CRITICAL · Negative-sentiment spike FIRING · community 上海宝妈团购群");
        assertThat(blocks.at("/1/text/type").asText()).isEqualTo("mrkdwn");
        assertThat(blocks.at("/1/text/text").asText()).contains("*What:* 42% of scored messages in the trailing 15 min are negative",
                "Top terms: 退款 (17)", "Window: 09:45–10:00 UTC", "*Event time:* 2024-05-01 10:00 UTC").endsWith("<@U024BE7LH>");
        assertThat(blocks.at("/2/elements/0/text").asText()).contains("c0000000000000000000000000000001");
        JsonNode button = blocks.at("/3/elements/0");
        assertThat(button.get("type").asText()).isEqualTo("button");
        assertThat(button.at("/text/text").asText()).isEqualTo("Open in console");
        assertThat(button.get("url").asText()).isEqualTo("https://console.example/alerts/c0000000000000000000000000000001?community=c42");
        assertThat(button.get("style").asText()).isEqualTo("danger");
        assertThat(r.body().get("text").asText()).startsWith("*CRITICAL · Negative-sentiment spike FIRING · community 上海宝妈团购群*");
    }

    @Test
    void slackInChineseWhenConfiguredAndWithoutButtonWhenThereIsNoLink() throws Exception {
        Outcome o = send(channel("slack", "/slack/T0/B0/x", null, null, null, SHANGHAI, Directory.EMPTY, null, "zh-CN"),
                TestAlerts.memberAtRisk("c0000000000000000000000000000002", "c<1>", "u7", BEGINNING));
        assertThat(o).isEqualTo(Outcome.DELIVERED);
        JsonNode b = receiver.last().body();
        assertThat(receiver.last().problems()).isEmpty();
        assertThat(b.at("/blocks/0/text/text").asText()).isEqualTo("【警告】成员流失风险 · c<1>");
        assertThat(b.at("/blocks/1/text/text").asText()).contains("*成员：*u7", "*时间：*2024-05-01 18:00 北京时间");
        assertThat(b.get("text").asText()).startsWith("*【警告】成员流失风险 · c&lt;1&gt;*");
        assertThat(b.get("blocks")).hasSize(3);
    }

    @Test
    void feishuSignedInteractiveCardWithAtMentionKeywordAndButton() throws Exception {
        receiver.feishuSecret = "feishu-signing-secret";
        receiver.feishuKeyword = "社群告警";
        Outcome o = send(channel("feishu", "/feishu/open-apis/bot/v2/hook/abc", receiver.feishuSecret, "社群告警", null, SHANGHAI, DIRECTORY, LINK),
                TestAlerts.negativeSpike("e0000000000000000000000000000001", "c42", "resolved", BEGINNING));

        assertThat(o).isEqualTo(Outcome.DELIVERED);
        ChatServiceReceiver.Received r = receiver.last();
        assertThat(r.problems()).isEmpty();
        assertThat(r.body().get("msg_type").asText()).isEqualTo("interactive");
        assertThat(r.body().get("timestamp").isTextual()).isTrue();
        JsonNode card = r.body().get("card");
        assertThat(card.at("/header/title/content").asText()).isEqualTo("社群告警 【严重】负面情绪激增 已恢复 · 上海宝妈团购群");
        assertThat(card.at("/header/template").asText()).isEqualTo("green");
        assertThat(card.at("/elements/0/text/tag").asText()).isEqualTo("lark_md");
        assertThat(card.at("/elements/0/text/content").asText())
                .contains("**情况：**负面情绪激增已结束，持续 45 分钟，峰值 55%", "**时间：**2024-05-01 18:00 北京时间")
                .endsWith("<at id=ou_7d8a6e6df7621556ce0d21922b676706></at>");
        assertThat(card.at("/elements/1/actions/0/url").asText())
                .isEqualTo("https://console.example/alerts/e0000000000000000000000000000001?community=c42");
        assertThat(card.at("/elements/1/actions/0/text/content").asText()).isEqualTo("在控制台处理");
    }

    @Test
    void feishuRefusesAWrongSignatureAndTheChannelDoesNotRetryIt() throws Exception {
        receiver.feishuSecret = "the-real-secret";
        Outcome o = send(channel("feishu", "/feishu/open-apis/bot/v2/hook/abc", "a-wrong-secret", null, null, SHANGHAI, DIRECTORY, null),
                TestAlerts.memberAtRisk("e0000000000000000000000000000002", "c42", "u7", BEGINNING));
        assertThat(o.kind()).isEqualTo(Outcome.Kind.FAIL);
        assertThat(o.error()).contains("feishu code 19021");
        // Unsigned, to a bot without signing: accepted, no timestamp/sign fields.
        receiver.feishuSecret = null;
        assertThat(send(channel("feishu", "/feishu/x", null, null, null, SHANGHAI, Directory.EMPTY, null, "en"),
                TestAlerts.memberAtRisk("e0000000000000000000000000000003", "c42", "u7", BEGINNING))).isEqualTo(Outcome.DELIVERED);
        assertThat(receiver.last().body().has("sign")).isFalse();
        assertThat(receiver.last().body().at("/card/header/title/content").asText()).isEqualTo("WARNING · Member at risk · community c42");
    }

    @Test
    void digestsAreLocalisedCarryTheKeywordAndMentionTheModeratorsOfTheirCommunities() throws Exception {
        receiver.dingKeyword = "社群告警";
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            alerts.add(Alert.parse(MAPPER, TestAlerts.bytes(TestAlerts.negativeMessage(TestAlerts.alertId("zh-digest", i), i % 2 == 0 ? "c42" : "c9",
                    "u" + i, BEGINNING.plusSeconds(60L * i)))));
        }
        Channel ding = channel("dingtalk", "/dingtalk?access_token=tok", null, "社群告警", null, SHANGHAI, DIRECTORY, LINK);
        Outcome o = deliver(ding, Message.digest(alerts));
        assertThat(o).isEqualTo(Outcome.DELIVERED);
        assertThat(receiver.last().problems()).isEmpty();
        String text = receiver.last().body().at("/markdown/text").asText();
        assertThat(receiver.last().body().at("/markdown/title").asText()).startsWith("社群告警 告警摘要 · 频道 test 限流期间合并的 12 条告警");
        assertThat(text).contains("按社群：c9 6, 上海宝妈团购群 6", "时间：2024-05-01 18:00 – 18:11 北京时间", "… 另有 2 条").endsWith("@manager4821 @13800000000");

        for (String type : new String[] {"wecom", "slack", "feishu"}) {
            String path = switch (type) {
                case "wecom" -> "/wecom?key=k";
                case "slack" -> "/slack/x";
                default -> "/feishu/x";
            };
            assertThat(deliver(channel(type, path, null, null, null, SHANGHAI, DIRECTORY, LINK), Message.digest(alerts))).isEqualTo(Outcome.DELIVERED);
            assertThat(receiver.last().problems()).isEmpty();
        }
    }

    private Channel channel(String type, String path, String secret, String keyword, Path template, ZoneId zone, Directory dir, String link) {
        return channel(type, path, secret, keyword, template, zone, dir, link, null);
    }

    private Channel channel(String type, String path, String secret, String keyword, Path template, ZoneId zone, Directory dir, String link,
                            String locale) {
        ChannelConfig cc = new ChannelConfig();
        cc.type = type;
        cc.url = receiver.url(path);
        cc.secret = secret;
        cc.keyword = keyword;
        cc.locale = locale;
        cc.template = template == null ? null : template.toString();
        return Channels.create("test", cc, new SecretResolver(k -> null, null), Duration.ofSeconds(2), MAPPER, zone, dir, link);
    }

    private Outcome send(Channel ch, ObjectNode alert) throws Exception {
        return deliver(ch, Message.single(Alert.parse(MAPPER, TestAlerts.bytes(alert))));
    }

    /** One attempt, as ChannelSender makes it: body once, request per attempt, the channel judges the answer. */
    private Outcome deliver(Channel ch, Message m) throws Exception {
        byte[] body = ch.body(m);
        HttpResponse<String> resp = http.send(ch.request(m, body, System.currentTimeMillis()).build(), HttpResponse.BodyHandlers.ofString());
        return ch.classify(resp.statusCode(), resp.headers(), resp.body());
    }
}
