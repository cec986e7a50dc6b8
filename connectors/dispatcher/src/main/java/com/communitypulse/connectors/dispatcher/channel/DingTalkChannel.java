package com.communitypulse.connectors.dispatcher.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * DingTalk (钉钉) custom robot: {@code {"msgtype":"markdown","markdown":{"title","text"}}} to
 * {@code https://oapi.dingtalk.com/robot/send?access_token=...}. The community's DingTalk moderators go
 * into {@code at.atUserIds} / {@code at.atMobiles} and, as DingTalk requires, as {@code @id} into the text; a
 * channel {@code keyword} (robots with keyword security reject messages without it) leads title and text. With a signing secret ({@code SEC...}),
 * every attempt appends {@code &timestamp=<ms>&sign=<urlencoded base64 HmacSHA256(secret, ts + "\n" + secret)>}:
 * DingTalk rejects a timestamp older than an hour, so retries are re-signed. errcode 130101 (sending
 * too fast) and -1 (busy) are retried.
 */
public final class DingTalkChannel extends Channel {

    static final int MAX_CHARS = 18_000;
    private static final Set<Integer> TRANSIENT = Set.of(-1, 130101);
    private final String secret;
    private final Duration timeout;
    private final Presentation p;

    public DingTalkChannel(String name, URI url, String secret, Duration timeout, ObjectMapper mapper, Presentation p) {
        super(name, url, mapper);
        this.secret = secret == null || secret.isBlank() ? null : secret;
        this.timeout = timeout;
        this.p = p;
    }

    @Override
    public String type() {
        return "dingtalk";
    }

    @Override
    public byte[] body(Message m) {
        List<String> userIds = p.moderators(m, type());
        List<String> mobiles = p.moderatorMobiles(m, type());
        // DingTalk only notifies the people in "at" whose @userId / @mobile also appears in the text.
        List<String> handles = new ArrayList<>();
        userIds.forEach(u -> handles.add("@" + u));
        mobiles.forEach(u -> handles.add("@" + u));
        String mentions = String.join(" ", handles);
        String text;
        String title;
        if (m.isDigest()) {
            AlertText.Text t = AlertText.fit(AlertText.of(m, name, p.style()), MAX_CHARS, DingTalkChannel::render);
            text = p.withKeyword(render(t)) + (mentions.isEmpty() ? "" : "\n\n" + mentions);
            title = p.withKeyword(t.title());
        } else {
            Map<String, String> f = p.fields(m.alerts().get(0), name);
            f.put("mentions", mentions);
            text = p.render(f, x -> x, Set.of("mentions", "link"), c -> c.length() <= MAX_CHARS);
            title = p.withKeyword(titleOf(text));
        }
        ObjectNode o = mapper.createObjectNode();
        o.put("msgtype", "markdown");
        ObjectNode md = o.putObject("markdown");
        md.put("title", title);
        md.put("text", text);
        if (!handles.isEmpty()) {
            ObjectNode at = o.putObject("at");
            ArrayNode ids = at.putArray("atUserIds");
            userIds.forEach(ids::add);
            ArrayNode mob = at.putArray("atMobiles");
            mobiles.forEach(mob::add);
            at.put("isAtAll", false);
        }
        try {
            return mapper.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first line of a rendered template without its markdown marks ({@code #}, {@code *}). */
    static String titleOf(String rendered) {
        String first = rendered.split("\n", 2)[0].trim();
        first = first.replaceFirst("^#+\\s*", "");
        if (first.startsWith("**") && first.endsWith("**") && first.length() >= 4) {
            first = first.substring(2, first.length() - 2);
        } else if (first.startsWith("*") && first.endsWith("*") && first.length() >= 2) {
            first = first.substring(1, first.length() - 1);
        }
        return first.trim();
    }

    static String render(AlertText.Text t) {
        StringBuilder sb = new StringBuilder("#### ").append(t.title()).append("\n");
        for (String l : t.lines()) {
            sb.append("\n- ").append(l);
        }
        return sb.toString();
    }

    @Override
    public HttpRequest.Builder request(Message m, byte[] body, long nowMillis) {
        URI target = url;
        if (secret != null) {
            String q = "timestamp=" + nowMillis + "&sign=" + sign(secret, nowMillis);
            target = URI.create(url + (url.getRawQuery() == null ? "?" : "&") + q);
        }
        return post(target, body, timeout);
    }

    /** DingTalk's documented robot signature, URL-encoded for the query string. */
    public static String sign(String secret, long timestampMillis) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] h = mac.doFinal((timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8));
            return URLEncoder.encode(Base64.getEncoder().encodeToString(h), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Outcome classify(int status, HttpHeaders headers, String body) {
        return classifyErrcode(status, headers, body, TRANSIENT);
    }
}
