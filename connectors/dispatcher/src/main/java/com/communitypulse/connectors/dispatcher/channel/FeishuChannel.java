package com.communitypulse.connectors.dispatcher.channel;

import com.communitypulse.connectors.dispatcher.Alert;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Feishu / Lark (飞书) custom bot: {@code {"msg_type":"interactive","card":{header, elements}}} to
 * {@code https://open.feishu.cn/open-apis/bot/v2/hook/...} (Lark: {@code open.larksuite.com}). The card's
 * header is the template's first line (coloured by severity), a {@code div} with {@code lark_md} carries
 * the rest, mentions are {@code <at id=open_id></at>}, and with a link template an {@code action} button
 * opens it. With a signing secret every attempt adds {@code timestamp} (seconds) and
 * {@code sign} = Base64(HmacSHA256(key = timestamp + "\n" + secret, message = empty)) to the body: Feishu
 * rejects a timestamp more than an hour off, so retries are re-signed. Feishu answers {@code {"code":0}};
 * code 11232 (frequency limited) is retried, other non-zero codes (19021 bad sign, 19024 keyword missing …) fail.
 */
public final class FeishuChannel extends Channel {

    /** Feishu caps a request body at 20 KB; Chinese text is 3 bytes a char in UTF-8. */
    static final int MAX_BYTES = 20_000;
    static final int MAX_CONTENT_BYTES = 16_000;
    private static final Set<Integer> TRANSIENT = Set.of(11232);
    private final String secret;
    private final Duration timeout;
    private final Presentation p;

    public FeishuChannel(String name, URI url, String secret, Duration timeout, ObjectMapper mapper, Presentation p) {
        super(name, url, mapper);
        this.secret = secret == null || secret.isBlank() ? null : secret;
        this.timeout = timeout;
        this.p = p;
    }

    @Override
    public String type() {
        return "feishu";
    }

    @Override
    public byte[] body(Message m) {
        String mentions = String.join(" ", p.moderators(m, type()).stream().map(id -> "<at id=" + id + "></at>").toList());
        String title;
        String content;
        String link = "";
        if (m.isDigest()) {
            AlertText.Text t = AlertText.fit(AlertText.of(m, name, p.style()), MAX_CONTENT_BYTES / 3, FeishuChannel::render);
            title = p.withKeyword(t.title());
            content = render(t) + (mentions.isEmpty() ? "" : "\n" + mentions);
        } else {
            Alert a = m.alerts().get(0);
            Map<String, String> f = p.fields(a, name);
            f.put("mentions", mentions);
            String all = p.render(f, x -> x, Set.of("mentions", "link"),
                    c -> c.getBytes(StandardCharsets.UTF_8).length <= MAX_CONTENT_BYTES);
            String[] parts = all.split("\n", 2);
            title = DingTalkChannel.titleOf(parts[0]);
            content = parts.length > 1 ? parts[1] : "";
            link = f.get("link");
        }
        ObjectNode o = mapper.createObjectNode();
        o.put("msg_type", "interactive");
        ObjectNode card = o.putObject("card");
        card.putObject("config").put("wide_screen_mode", true);
        ObjectNode header = card.putObject("header");
        header.putObject("title").put("tag", "plain_text").put("content", title);
        header.put("template", color(m));
        var elements = card.putArray("elements");
        elements.addObject().put("tag", "div").putObject("text").put("tag", "lark_md").put("content", content);
        if (!link.isEmpty()) {
            ObjectNode button = elements.addObject().put("tag", "action").putArray("actions").addObject();
            button.put("tag", "button").put("type", "primary").put("url", link)
                    .putObject("text").put("tag", "plain_text").put("content", p.lang().t("button"));
        }
        try {
            return mapper.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String color(Message m) {
        if (m.isDigest()) {
            return "orange";
        }
        Alert a = m.alerts().get(0);
        if ("resolved".equals(a.state())) {
            return "green";
        }
        return switch (a.severity()) {
            case "critical" -> "red";
            case "warning" -> "orange";
            default -> "blue";
        };
    }

    static String render(AlertText.Text t) {
        return String.join("\n", t.lines());
    }

    @Override
    public HttpRequest.Builder request(Message m, byte[] body, long nowMillis) {
        if (secret == null) {
            return post(url, body, timeout);
        }
        long ts = nowMillis / 1000;
        // Same body, with this attempt's timestamp and sign in front of its fields.
        byte[] head = ("{\"timestamp\":\"" + ts + "\",\"sign\":\"" + sign(secret, ts) + "\",").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[head.length + body.length - 1];
        System.arraycopy(head, 0, signed, 0, head.length);
        System.arraycopy(body, 1, signed, head.length, body.length - 1);
        return post(url, signed, timeout);
    }

    /** Feishu's documented custom-bot signature: the key is timestamp + "\n" + secret, the message empty. */
    public static String sign(String secret, long timestampSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((timestampSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Feishu answers HTTP 200 with {@code code} (older bots: {@code StatusCode}); 0 is delivered. */
    @Override
    public Outcome classify(int status, HttpHeaders headers, String body) {
        Outcome http = classifyHttp(status, headers);
        if (http.kind() != Outcome.Kind.DELIVERED) {
            return http;
        }
        com.fasterxml.jackson.databind.JsonNode n;
        try {
            n = mapper.readTree(body);
        } catch (Exception e) {
            return Outcome.retry("unreadable response from feishu bot", 0);
        }
        int code = n == null ? -1 : n.has("code") ? n.path("code").asInt(0) : n.path("StatusCode").asInt(0);
        if (code == 0) {
            return Outcome.DELIVERED;
        }
        String err = "feishu code " + code + " " + n.path("msg").asText(n.path("StatusMessage").asText(""));
        return TRANSIENT.contains(code) ? Outcome.retry(err, 0) : Outcome.fail(err + " (not retried)");
    }
}
